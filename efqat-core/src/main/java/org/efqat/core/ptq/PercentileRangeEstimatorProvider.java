package org.efqat.core.ptq;

import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;

/** Registers {@link PercentileRangeEstimator} as {@code percentile}. */
public final class PercentileRangeEstimatorProvider
    extends AbstractComponentProvider<RangeEstimator, PercentileConfig>
    implements RangeEstimatorProvider<PercentileConfig> {
  /** Registers the estimator. */
  public PercentileRangeEstimatorProvider() {
    super(
        "percentile", PercentileConfig.class, "percentiles of the activations (weights: min-max)");
  }

  @Override
  public RangeEstimator create(PercentileConfig config, ComponentContext context) {
    return new PercentileRangeEstimator(config.percentile());
  }
}
