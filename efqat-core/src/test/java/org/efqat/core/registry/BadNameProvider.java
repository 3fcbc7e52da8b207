package org.efqat.core.registry;

import org.efqat.api.freeze.FreezePolicy;
import org.efqat.api.freeze.FreezePolicyProvider;
import org.efqat.api.spi.ComponentContext;
import org.efqat.api.spi.NoOptions;
import org.efqat.core.freeze.AllFreezePolicy;

/** A test plugin whose name is not lower-kebab-case. */
public final class BadNameProvider implements FreezePolicyProvider<NoOptions> {
  @Override
  public String name() {
    return "My_Policy";
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
