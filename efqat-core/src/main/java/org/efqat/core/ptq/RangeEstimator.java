package org.efqat.core.ptq;

import java.util.Arrays;
import org.efqat.api.quant.QuantParams;
import org.efqat.api.quant.Quantizer;

/**
 * Turns observed values into a quantization range {@code [lo, hi]}:
 *
 * <ul>
 *   <li>{@code minmax}: the smallest and largest value;
 *   <li>{@code percentile}: the {@code (100−q)}-th and {@code q}-th percentiles (activations;
 *       weights use min-max, their outliers matter);
 *   <li>{@code mse}: the min-max range shrunk by the factor in {@link #MSE_FACTORS} that minimizes
 *       the squared fake-quantization error of the values with the given quantizer.
 * </ul>
 */
public final class RangeEstimator {
  /** The shrink factors tried by the MSE search. */
  static final double[] MSE_FACTORS = {1.0, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5,
      0.45, 0.4, 0.35, 0.3};

  private final String method;
  private final double percentile;

  /**
   * @param method {@code minmax}, {@code percentile} or {@code mse}
   * @param percentile for {@code percentile}, in (50, 100]
   */
  public RangeEstimator(String method, double percentile) {
    this.method = method;
    this.percentile = percentile;
  }

  /**
   * @param values observed values (not modified)
   * @param quantizer the quantizer the range is for (used by the MSE search)
   * @param weights whether these are weights (percentile falls back to min-max)
   * @return {@code {lo, hi}}
   */
  public float[] range(float[] values, Quantizer quantizer, boolean weights) {
    if (values.length == 0) {
      return new float[] {0f, 0f};
    }
    float lo = Float.POSITIVE_INFINITY;
    float hi = Float.NEGATIVE_INFINITY;
    for (float v : values) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    switch (method) {
      case "minmax" -> {
        return new float[] {lo, hi};
      }
      case "percentile" -> {
        if (weights) {
          return new float[] {lo, hi};
        }
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        return new float[] {at(sorted, 100 - percentile), at(sorted, percentile)};
      }
      case "mse" -> {
        return mseSearch(values, quantizer, lo, hi);
      }
      default -> throw new IllegalArgumentException("unknown calibration method " + method);
    }
  }

  private static float at(float[] sorted, double pct) {
    double pos = pct / 100.0 * (sorted.length - 1);
    int i = (int) Math.floor(pos);
    int j = Math.min(sorted.length - 1, i + 1);
    return (float) (sorted[i] + (pos - i) * (sorted[j] - sorted[i]));
  }

  private static float[] mseSearch(float[] values, Quantizer q, float lo, float hi) {
    float[] out = new float[values.length];
    double best = Double.POSITIVE_INFINITY;
    float[] bestRange = {lo, hi};
    for (double f : MSE_FACTORS) {
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
