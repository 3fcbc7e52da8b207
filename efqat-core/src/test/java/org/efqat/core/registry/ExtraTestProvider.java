package org.efqat.core.registry;

import org.efqat.api.freeze.FreezePolicy;
import org.efqat.api.freeze.FreezePolicyProvider;
import org.efqat.api.spi.ComponentContext;
import org.efqat.api.spi.NoOptions;
import org.efqat.core.freeze.AllFreezePolicy;

/** A test plugin with a name of its own, listed by the jars the tests write. */
public final class ExtraTestProvider implements FreezePolicyProvider<NoOptions> {
  @Override
  public String name() {
    return "extra-test";
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
