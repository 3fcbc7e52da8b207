package com.example.efqat;

import org.efqat.api.freeze.FreezePolicy;
import org.efqat.api.freeze.FreezePolicyProvider;
import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;

/**
 * Makes {@link StickyFreezePolicy} available as {@code type: sticky}. Listed in {@code
 * META-INF/services/org.efqat.api.freeze.FreezePolicyProvider}; needs a public no-argument
 * constructor and must do no work until {@link #create}.
 */
public final class StickyFreezePolicyProvider
    extends AbstractComponentProvider<FreezePolicy, StickyConfig>
    implements FreezePolicyProvider<StickyConfig> {
  /** The base class holds the name, the config type and the description. */
  public StickyFreezePolicyProvider() {
    super(
        "sticky",
        StickyConfig.class,
        "cwpn with hysteresis: trained rows stay while within (1+slack)*k (example plugin)");
  }

  @Override
  public FreezePolicy create(StickyConfig config, ComponentContext context) {
    return new StickyFreezePolicy(config.p(), config.slack());
  }
}
