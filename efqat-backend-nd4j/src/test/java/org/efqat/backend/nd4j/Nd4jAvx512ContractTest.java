package org.efqat.backend.nd4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.efqat.api.backend.Backend;
import org.efqat.api.spi.ComponentContext;
import org.efqat.api.spi.NoOptions;
import org.efqat.testkit.BackendContractTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * The backend contract on ND4J's AVX-512 native build, which the {@code efqat} launcher selects on
 * CPUs that have it. Runs in its own surefire execution with {@code
 * org.bytedeco.javacpp.platform.extension=-avx512} (see this module's pom).
 */
@EnabledIf("hasAvx512")
class Nd4jAvx512ContractTest extends BackendContractTest {
  @Override
  protected Backend createBackend() {
    return new Nd4jBackendProvider().create(new NoOptions(), ComponentContext.ofSeed(0));
  }

  @Test
  void runsTheAvx512Build() {
    Nd4j.create(1); // loads the native library
    var nativeOps = NativeOpsHolder.getInstance().getDeviceNativeOps();
    // libnd4j's levels: 0 generic x86, ..., 3 AVX-512; the CPU has AVX-512 (see hasAvx512)
    assertThat(nativeOps.binaryLevel())
        .as("binary level of the loaded libnd4j")
        .isEqualTo(3)
        .isEqualTo(nativeOps.optimalLevel());
  }

  static boolean hasAvx512() {
    try {
      Path cpu = Path.of("/proc/cpuinfo");
      return Files.isReadable(cpu) && Files.readString(cpu).contains(" avx512f");
    } catch (IOException e) {
      return false;
    }
  }
}
