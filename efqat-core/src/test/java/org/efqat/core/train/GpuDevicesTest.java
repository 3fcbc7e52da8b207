package org.efqat.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.efqat.api.backend.Backend;
import org.efqat.api.backend.BackendCapability;
import org.efqat.core.nn.TestBackends;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Under {@code mvn -Pgpu} (tests tagged {@code gpu}): both backends run on a GPU, so the other
 * tests of that build (contract, gradient checks, EfQAT invariants, {@link ResidentTrainingTest})
 * check the GPU kernels rather than silently the CPU. Not run on this project's CPU-only machines.
 */
@Tag("gpu")
class GpuDevicesTest {
  @Test
  void nd4jRunsOnCuda() {
    try (Backend backend = TestBackends.nd4j()) {
      assertThat(backend.device()).startsWith("cuda (").doesNotContain("host loops");
      assertThat(backend.capabilities())
          .as("convolutions as libnd4j's CUDA operations, not the host-side im2col")
          .contains(BackendCapability.DIRECT_CONVOLUTION);
    }
  }

  @Test
  void tfPlacesKernelsOnAGpu() {
    try (Backend backend = TestBackends.tf()) {
      assertThat(backend.device())
          .as("kernels: auto keeps tensors in the session on a GPU")
          .startsWith("gpu (")
          .contains("tensors in the session");
    }
  }
}
