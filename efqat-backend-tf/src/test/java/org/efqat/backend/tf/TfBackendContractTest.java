package org.efqat.backend.tf;

import org.efqat.api.backend.Backend;
import org.efqat.api.spi.ComponentContext;
import org.efqat.api.spi.NoOptions;
import org.efqat.testkit.BackendContractTest;

class TfBackendContractTest extends BackendContractTest {
  @Override
  protected Backend createBackend() {
    return new TfBackendProvider().create(new NoOptions(), ComponentContext.ofSeed(0));
  }
}
