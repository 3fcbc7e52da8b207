package org.efqat.core.ptq;

import org.efqat.api.quant.Quantizer;

/** {@code minmax}: the smallest and the largest observed value. */
public final class MinMaxRangeEstimator implements RangeEstimator {
  @Override
  public boolean needsSamples() {
    return false;
  }

  @Override
  public float[] range(float[] values, Quantizer quantizer, boolean weights) {
    return RangeEstimator.minMax(values);
  }
}
