package org.efqat.core.ptq;

import org.efqat.api.quant.Quantizer;

/**
 * A PTQ calibration method ({@code quantization.calibration.method}, DESIGN.md 1.3): turns observed
 * values into a quantization range {@code [lo, hi]}.
 */
public interface RangeEstimator {
  /**
   * @return whether the estimator needs the observed values themselves; when {@code false} the
   *     calibrator only tracks each layer's running minimum and maximum and passes them as a
   *     two-value array
   */
  boolean needsSamples();

  /**
   * @param values observed values (not modified), at least one
   * @param quantizer the quantizer the range is for (used by error-minimizing searches)
   * @param weights whether these are one weight row (else a layer's input activations)
   * @return {@code {lo, hi}} with {@code lo <= hi}
   */
  float[] range(float[] values, Quantizer quantizer, boolean weights);

  /**
   * @param values at least one value
   * @return {@code {min, max}}
   */
  static float[] minMax(float[] values) {
    float lo = Float.POSITIVE_INFINITY;
    float hi = Float.NEGATIVE_INFINITY;
    for (float v : values) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    return new float[] {lo, hi};
  }
}
