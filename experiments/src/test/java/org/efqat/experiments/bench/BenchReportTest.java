package org.efqat.experiments.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchReportTest {
  @Test
  void kernelTableStatesTheOtherProcessesCpuShareFlagsContentionAndSaysWhenUnknown() {
    ConfigResult alone = new ConfigResult("tf", "cwpn", 1.0);
    alone.cpuOthers = 3;
    alone.cpuTotal = 100;
    ConfigResult shared = new ConfigResult("nd4j", "cwpn", 1.0);
    shared.cpuOthers = 45;
    shared.cpuTotal = 100;
    ConfigResult unknown = new ConfigResult("tf", "cwpn", 0.1); // less than a clock tick
    String table = new BenchReport(null, List.of(alone, shared, unknown)).kernelTable();
    List<String> lines = table.lines().toList();
    assertThat(lines).hasSize(6); // two lines per configuration
    assertThat(lines.get(1))
        .contains("other processes 3% of the CPU")
        .doesNotContain("NOT a machine");
    assertThat(lines.get(3))
        .contains("other processes 45% of the CPU (NOT a machine to itself: times are off)");
    assertThat(lines.get(5)).contains("other processes' share of the CPU unknown");
  }
}
