package org.efqat.core.freeze;

import org.efqat.api.freeze.FreezePolicy;
import org.efqat.api.freeze.FreezePolicyProvider;
import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;

/** Registers {@link RandomFreezePolicy} as {@code random}. */
public final class RandomFreezePolicyProvider
    extends AbstractComponentProvider<FreezePolicy, RandomFreezeConfig>
    implements FreezePolicyProvider<RandomFreezeConfig> {
  /** Called by {@link java.util.ServiceLoader}. */
  public RandomFreezePolicyProvider() {
    super(
        "random",
        RandomFreezeConfig.class,
        "baseline: ceil(p*N) rows drawn uniformly at every re-selection");
  }

  @Override
  public FreezePolicy create(RandomFreezeConfig config, ComponentContext context) {
    return new RandomFreezePolicy(config.p(), config.perLayer(), context.random("freeze.random"));
  }
}
