package org.efqat.backend.nd4j;

import org.efqat.api.backend.Backend;
import org.efqat.api.spi.ComponentContext;
import org.efqat.api.spi.NoOptions;
import org.efqat.testkit.BackendContractTest;

class Nd4jBackendContractTest extends BackendContractTest {
  @Override
  protected Backend createBackend() {
    return new Nd4jBackendProvider().create(new NoOptions(), ComponentContext.ofSeed(0));
  }
}
