package org.efqat.backend.nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.efqat.api.backend.Backend;
import org.efqat.api.backend.BackendCapability;
import org.efqat.api.spi.ComponentContext;
import org.efqat.testkit.BackendContractTest;
import org.junit.jupiter.api.Test;

/**
 * The backend contract on the build the tests and the {@code efqat} launcher use: libnd4j's oneDNN
 * build, where the backend convolves directly ({@link Nd4jConvolution}). The generic build is
 * {@link Nd4jGenericContractTest}.
 */
class Nd4jBackendContractTest extends BackendContractTest {
  @Override
  protected Backend createBackend() {
    return new Nd4jBackendProvider().create(new Nd4jBackendConfig(), ComponentContext.ofSeed(0));
  }

  @Test
  void runsTheOneDnnBuildAndConvolvesDirectly() {
    assumeTrue(
        "-onednn".equals(System.getProperty("org.bytedeco.javacpp.platform.extension")),
        "the oneDNN build is not selected (the gpu profile runs ND4J's CUDA build)");
    assertThat(Nd4jBackend.hasOneDnn()).as("libnd4j built with oneDNN").isTrue();
    assertThat(createBackend().capabilities()).contains(BackendCapability.DIRECT_CONVOLUTION);
    assertThat(createBackend().device()).contains("oneDNN");
  }
}
