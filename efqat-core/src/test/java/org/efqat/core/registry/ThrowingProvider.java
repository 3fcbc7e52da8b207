package org.efqat.core.registry;

import org.efqat.api.freeze.FreezePolicy;
import org.efqat.api.freeze.FreezePolicyProvider;
import org.efqat.api.spi.ComponentContext;
import org.efqat.api.spi.NoOptions;
import org.efqat.core.freeze.AllFreezePolicy;

/** A test plugin whose constructor throws. */
public final class ThrowingProvider implements FreezePolicyProvider<NoOptions> {
  /** Fails, as a plugin whose dependencies are missing might. */
  public ThrowingProvider() {
    throw new IllegalStateException("no licence key");
  }

  @Override
  public String name() {
    return "throwing";
  }

  @Override
  public Class<NoOptions> configType() {
    return NoOptions.class;
  }

  @Override
  public FreezePolicy create(NoOptions config, ComponentContext context) {
    return new AllFreezePolicy();
  }
}
