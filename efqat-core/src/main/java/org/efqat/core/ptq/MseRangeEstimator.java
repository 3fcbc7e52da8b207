package org.efqat.core.ptq;

import org.efqat.api.quant.QuantParams;
import org.efqat.api.quant.Quantizer;

/**
 * {@code mse}: the min-max range shrunk by the factor in {@link #FACTORS} that minimizes the
 * squared fake-quantization error of the observed values with the layer's quantizer.
 */
public final class MseRangeEstimator implements RangeEstimator {
  /** The shrink factors tried. */
  static final double[] FACTORS = {
    1.0, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5, 0.45, 0.4, 0.35, 0.3
  };

  @Override
  public boolean needsSamples() {
    return true;
  }

  @Override
  public float[] range(float[] values, Quantizer q, boolean weights) {
    float[] mm = RangeEstimator.minMax(values);
    float lo = mm[0];
    float hi = mm[1];
    float[] out = new float[values.length];
    double best = Double.POSITIVE_INFINITY;
    float[] bestRange = {lo, hi};
    for (double f : FACTORS) {
      float l = (float) (lo * f);
      float h = (float) (hi * f);
      QuantParams p = q.initialize(new float[] {l}, new float[] {h});
      q.forward(values, p, out);
      double err = 0;
      for (int i = 0; i < values.length; i++) {
        double d = values[i] - out[i];
        err += d * d;
      }
      if (err < best) {
        best = err;
        bestRange = new float[] {l, h};
      }
    }
    return bestRange;
  }
}
