package org.efqat.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BackendArgumentTest {
  @Test
  void aPlainNameStaysANameAndOptionsBecomeTheBackendMap() {
    assertThat(BackendArgument.override("tf")).isEqualTo("tf");
    assertThat(BackendArgument.override("tf:kernels=device"))
        .isEqualTo(Map.of("type", "tf", "kernels", "device"));
    assertThat(BackendArgument.override("nd4j:kernels=host;other = 1"))
        .isEqualTo(Map.of("type", "nd4j", "kernels", "host", "other", "1"));
  }

  @Test
  void slugsAreFileNames() {
    assertThat(BackendArgument.slug("tf:kernels=device")).isEqualTo("tf-kernels-device");
    assertThat(BackendArgument.slug("nd4j")).isEqualTo("nd4j");
  }

  @Test
  void anOptionWithoutAValueIsNamed() {
    assertThatThrownBy(() -> BackendArgument.override("tf:kernels"))
        .hasMessage("--backends: expected name:key=value[;key=value...] (was 'tf:kernels')");
  }
}
