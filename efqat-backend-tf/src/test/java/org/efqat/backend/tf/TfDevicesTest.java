package org.efqat.backend.tf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The backend reports the device TensorFlow's native library offers, not an assumed CPU. */
class TfDevicesTest {
  @Test
  void listsTheCpuAndReportsWhatItFinds() {
    List<String> types = TfDevices.types();
    assertThat(types).contains("CPU");
    try (TfBackend backend = new TfBackend()) {
      assertThat(backend.device())
          .startsWith(types.contains("GPU") ? "gpu (graph, " : "cpu (graph, ");
    }
  }
}
