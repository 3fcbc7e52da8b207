package org.efqat.backend.tf;

import org.efqat.api.backend.Backend;
import org.efqat.api.spi.ComponentContext;
import org.efqat.testkit.BackendContractTest;

class TfBackendContractTest extends BackendContractTest {
  @Override
  protected Backend createBackend() {
    return new TfBackendProvider().create(new TfBackendConfig(), ComponentContext.ofSeed(0));
  }
}
