package org.efqat.core.freeze;

import org.efqat.api.freeze.FreezePolicy;
import org.efqat.api.freeze.FreezePolicyProvider;
import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;

/** Registers {@link LwpnFreezePolicy} as {@code lwpn}. */
public final class LwpnFreezePolicyProvider
    extends AbstractComponentProvider<FreezePolicy, FractionConfig>
    implements FreezePolicyProvider<FractionConfig> {
  /** Called by {@link java.util.ServiceLoader}. */
  public LwpnFreezePolicyProvider() {
    super(
        "lwpn",
        FractionConfig.class,
        "layer-wise per network: whole layers by mean importance until p of the rows");
  }

  @Override
  public FreezePolicy create(FractionConfig config, ComponentContext context) {
    return new LwpnFreezePolicy(config.p());
  }
}
