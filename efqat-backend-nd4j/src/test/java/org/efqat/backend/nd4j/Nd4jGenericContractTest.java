package org.efqat.backend.nd4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.efqat.api.backend.Backend;
import org.efqat.api.backend.BackendCapability;
import org.efqat.api.spi.ComponentContext;
import org.efqat.testkit.BackendContractTest;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * The backend contract on libnd4j's generic build ({@code EFQAT_ND4J_BUILD=generic}), which has no
 * oneDNN: there the backend convolves through im2col and GEMM. Every other test runs the oneDNN
 * build (the parent pom's surefire configuration, as the {@code efqat} launcher does); this one
 * runs in its own surefire execution with the platform extension {@code -generic}, which no jar
 * has, so JavaCPP loads the plain {@code linux-x86_64} build (see this module's pom).
 */
class Nd4jGenericContractTest extends BackendContractTest {
  @Override
  protected Backend createBackend() {
    return new Nd4jBackendProvider().create(new Nd4jBackendConfig(), ComponentContext.ofSeed(0));
  }

  @Test
  void runsTheGenericBuildThroughIm2col() {
    Nd4j.create(1); // loads the native library
    assertThat(NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo())
        .doesNotContain("HAVE_ONEDNN");
    assertThat(createBackend().capabilities()).doesNotContain(BackendCapability.DIRECT_CONVOLUTION);
    assertThat(createBackend().device()).doesNotContain("oneDNN");
  }
}
