package org.efqat.api.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.efqat.api.spi.ConfigValueException;
import org.junit.jupiter.api.Test;

class KernelPlacementTest {
  @Test
  void parsesTheThreeSpellingsInAnyCaseAndDefaultsToAuto() {
    assertThat(KernelPlacement.parse(null)).isEqualTo(KernelPlacement.AUTO);
    assertThat(KernelPlacement.parse("Host")).isEqualTo(KernelPlacement.HOST);
    assertThat(KernelPlacement.parse("DEVICE")).isEqualTo(KernelPlacement.DEVICE);
    assertThat(KernelPlacement.DEVICE.yamlName()).isEqualTo("device");
  }

  @Test
  void autoFollowsTheAcceleratorAndTheOthersAreFixed() {
    assertThat(KernelPlacement.AUTO.onDevice(true)).isTrue();
    assertThat(KernelPlacement.AUTO.onDevice(false)).isFalse();
    assertThat(KernelPlacement.HOST.onDevice(true)).isFalse();
    assertThat(KernelPlacement.DEVICE.onDevice(false)).isTrue();
  }

  @Test
  void anyOtherValueNamesTheKeyAndTheChoices() {
    assertThatThrownBy(() -> KernelPlacement.parse("gpu"))
        .isInstanceOf(ConfigValueException.class)
        .hasMessage("kernels must be auto, host or device (was 'gpu')");
  }
}
