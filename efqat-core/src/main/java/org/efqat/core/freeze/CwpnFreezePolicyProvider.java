package org.efqat.core.freeze;

import org.efqat.api.freeze.FreezePolicy;
import org.efqat.api.freeze.FreezePolicyProvider;
import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;

/** Registers {@link CwpnFreezePolicy} as {@code cwpn}. */
public final class CwpnFreezePolicyProvider
    extends AbstractComponentProvider<FreezePolicy, FractionConfig>
    implements FreezePolicyProvider<FractionConfig> {
  /** Called by {@link java.util.ServiceLoader}. */
  public CwpnFreezePolicyProvider() {
    super(
        "cwpn",
        FractionConfig.class,
        "channel-wise per network: top ceil(p*N) rows of one network-wide ranking");
  }

  @Override
  public FreezePolicy create(FractionConfig config, ComponentContext context) {
    return new CwpnFreezePolicy(config.p());
  }
}
