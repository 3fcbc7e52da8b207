package org.efqat.core.train;

import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;

/** Registers {@link Sgd} as {@code sgd}. */
public final class SgdProvider extends AbstractComponentProvider<Optimizer, SgdConfig>
    implements OptimizerProvider<SgdConfig> {
  /** Registers the optimizer. */
  public SgdProvider() {
    super("sgd", SgdConfig.class, "SGD with momentum (PyTorch's definition), L2 weight decay");
  }

  @Override
  public Optimizer create(SgdConfig config, ComponentContext context) {
    return new Sgd(config.momentum(), config.nesterov(), config.weightDecay());
  }
}
