package org.efqat.core.ptq;

import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;
import org.efqat.api.spi.NoOptions;

/** Registers {@link MinMaxRangeEstimator} as {@code minmax}. */
public final class MinMaxRangeEstimatorProvider
    extends AbstractComponentProvider<RangeEstimator, NoOptions>
    implements RangeEstimatorProvider<NoOptions> {
  /** Registers the estimator. */
  public MinMaxRangeEstimatorProvider() {
    super("minmax", NoOptions.class, "smallest and largest observed value");
  }

  @Override
  public RangeEstimator create(NoOptions config, ComponentContext context) {
    return new MinMaxRangeEstimator();
  }
}
