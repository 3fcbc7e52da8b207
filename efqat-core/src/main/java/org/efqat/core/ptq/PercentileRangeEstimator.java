package org.efqat.core.ptq;

import java.util.Arrays;
import org.efqat.api.quant.Quantizer;

/**
 * {@code percentile}: the {@code (100−q)}-th and {@code q}-th percentiles of the observed
 * activations, linearly interpolated; weight rows use min-max (their outliers matter).
 */
public final class PercentileRangeEstimator implements RangeEstimator {
  private final double percentile;

  /**
   * @param percentile {@code q} in (50, 100]
   */
  public PercentileRangeEstimator(double percentile) {
    this.percentile = percentile;
  }

  @Override
  public boolean needsSamples() {
    return true;
  }

  @Override
  public float[] range(float[] values, Quantizer quantizer, boolean weights) {
    if (weights) {
      return RangeEstimator.minMax(values);
    }
    float[] sorted = values.clone();
    Arrays.sort(sorted);
    return new float[] {at(sorted, 100 - percentile), at(sorted, percentile)};
  }

  private static float at(float[] sorted, double pct) {
    double pos = pct / 100.0 * (sorted.length - 1);
    int i = (int) Math.floor(pos);
    int j = Math.min(sorted.length - 1, i + 1);
    return (float) (sorted[i] + (pos - i) * (sorted[j] - sorted[i]));
  }
}
