package org.efqat.core.registry;

import org.efqat.api.freeze.FreezePolicy;
import org.efqat.api.freeze.FreezePolicyProvider;
import org.efqat.api.spi.ComponentContext;
import org.efqat.api.spi.NoOptions;
import org.efqat.core.freeze.AllFreezePolicy;

/** A test plugin that claims the built-in name {@code cwpn}. */
public final class DuplicateCwpnProvider implements FreezePolicyProvider<NoOptions> {
  @Override
  public String name() {
    return "cwpn";
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
