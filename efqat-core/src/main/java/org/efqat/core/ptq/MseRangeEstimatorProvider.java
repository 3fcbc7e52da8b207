package org.efqat.core.ptq;

import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;
import org.efqat.api.spi.NoOptions;

/** Registers {@link MseRangeEstimator} as {@code mse}. */
public final class MseRangeEstimatorProvider
    extends AbstractComponentProvider<RangeEstimator, NoOptions>
    implements RangeEstimatorProvider<NoOptions> {
  /** Registers the estimator. */
  public MseRangeEstimatorProvider() {
    super(
        "mse", NoOptions.class, "min-max range shrunk to minimize the squared quantization error");
  }

  @Override
  public RangeEstimator create(NoOptions config, ComponentContext context) {
    return new MseRangeEstimator();
  }
}
