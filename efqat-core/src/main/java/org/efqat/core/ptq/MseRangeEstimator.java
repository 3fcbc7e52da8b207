package org.efqat.core.ptq;

import org.efqat.api.quant.QuantParams;
import org.efqat.api.quant.Quantizer;

/**
 * {@code mse}: the min-max range {@code [lo, hi]} scaled by the factor {@code f} in {@link
 * #FACTORS} (1.00, 0.99, …, 0.20; both ends scaled alike) that minimizes the summed squared
 * fake-quantization error of the observed values with the layer's quantizer. Factor 1 (min-max) is
 * tried first and kept on ties, so the result never has a larger error than min-max on the values
 * it saw. Applied to each weight row and to each layer's input sample.
 */
public final class MseRangeEstimator implements RangeEstimator {
  /** The scale factors tried, from 1 down to 0.2 in steps of 0.01. */
  static final double[] FACTORS = factors();

  private static double[] factors() {
    double[] f = new double[81];
    for (int i = 0; i < f.length; i++) {
      f[i] = (100 - i) / 100.0;
    }
    return f;
  }

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
