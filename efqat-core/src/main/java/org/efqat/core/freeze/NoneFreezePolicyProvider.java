package org.efqat.core.freeze;

import org.efqat.api.freeze.FreezePolicy;
import org.efqat.api.freeze.FreezePolicyProvider;
import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;
import org.efqat.api.spi.NoOptions;

/** Registers {@link NoneFreezePolicy} as {@code none}. */
public final class NoneFreezePolicyProvider
    extends AbstractComponentProvider<FreezePolicy, NoOptions>
    implements FreezePolicyProvider<NoOptions> {
  /** Called by {@link java.util.ServiceLoader}. */
  public NoneFreezePolicyProvider() {
    super(
        "none",
        NoOptions.class,
        "no weight row trains (p = 0): PTQ plus always-trained parameters");
  }

  @Override
  public FreezePolicy create(NoOptions config, ComponentContext context) {
    return new NoneFreezePolicy();
  }
}
