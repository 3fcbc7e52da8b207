package org.efqat.core.train;

import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;

/** Registers {@link AdamW} as {@code adamw}. */
public final class AdamWProvider extends AbstractComponentProvider<Optimizer, AdamWConfig>
    implements OptimizerProvider<AdamWConfig> {
  /** Registers the optimizer. */
  public AdamWProvider() {
    super("adamw", AdamWConfig.class, "Adam with decoupled weight decay, per-row step counts");
  }

  @Override
  public Optimizer create(AdamWConfig config, ComponentContext context) {
    return new AdamW(config.beta1(), config.beta2(), config.weightDecay());
  }
}
