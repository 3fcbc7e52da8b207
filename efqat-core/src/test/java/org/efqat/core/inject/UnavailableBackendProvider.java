package org.efqat.core.inject;

import org.efqat.api.backend.Availability;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.BackendProvider;
import org.efqat.api.spi.ComponentContext;
import org.efqat.api.spi.NoOptions;

/**
 * A test-only backend that is never available, so core's tests can name a backend without a native
 * library and check that an unavailable backend fails with its reason.
 */
public final class UnavailableBackendProvider implements BackendProvider<NoOptions> {
  @Override
  public String name() {
    return "unavailable-test";
  }

  @Override
  public Class<NoOptions> configType() {
    return NoOptions.class;
  }

  @Override
  public Availability probe() {
    return Availability.unavailable("libtest.so: cannot open shared object file");
  }

  @Override
  public Backend create(NoOptions config, ComponentContext context) {
    throw new AssertionError("create must not be called on an unavailable backend");
  }
}
