package org.efqat.core.freeze;

import org.efqat.api.freeze.FreezePolicy;
import org.efqat.api.freeze.FreezePolicyProvider;
import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;

/** Registers {@link CwplFreezePolicy} as {@code cwpl}. */
public final class CwplFreezePolicyProvider
    extends AbstractComponentProvider<FreezePolicy, FractionConfig>
    implements FreezePolicyProvider<FractionConfig> {
  /** Called by {@link java.util.ServiceLoader}. */
  public CwplFreezePolicyProvider() {
    super(
        "cwpl",
        FractionConfig.class,
        "channel-wise per layer: top ceil(p*C_out) rows of every layer");
  }

  @Override
  public FreezePolicy create(FractionConfig config, ComponentContext context) {
    return new CwplFreezePolicy(config.p());
  }
}
