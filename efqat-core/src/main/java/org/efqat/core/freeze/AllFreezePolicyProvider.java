package org.efqat.core.freeze;

import org.efqat.api.freeze.FreezePolicy;
import org.efqat.api.freeze.FreezePolicyProvider;
import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;
import org.efqat.api.spi.NoOptions;

/** Registers {@link AllFreezePolicy} as {@code all}. */
public final class AllFreezePolicyProvider
    extends AbstractComponentProvider<FreezePolicy, NoOptions>
    implements FreezePolicyProvider<NoOptions> {
  /** Called by {@link java.util.ServiceLoader}. */
  public AllFreezePolicyProvider() {
    super("all", NoOptions.class, "plain QAT: every row trains (p = 1)");
  }

  @Override
  public FreezePolicy create(NoOptions config, ComponentContext context) {
    return new AllFreezePolicy();
  }
}
