package org.efqat.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CpuCountersTest {
  @Test
  void countsTheMachineAndThisProcessAndTheirDifference() {
    assumeTrue(Files.isReadable(Path.of("/proc/stat")), "Linux /proc");
    CpuCounters before = CpuCounters.read();
    assertThat(before).isNotNull();
    long spin = System.nanoTime() + 200_000_000L;
    double sink = 0;
    while (System.nanoTime() < spin) {
      sink += Math.sqrt(sink + 1); // this process's work, not others'
    }
    CpuCounters after = CpuCounters.read();
    assertThat(sink).isPositive();
    assertThat(after.own()).as("this process ran").isGreaterThan(before.own());
    assertThat(after.total()).isGreaterThan(before.total());
    long[] d = after.since(before);
    assertThat(d[0]).as("others' ticks").isBetween(0L, d[1]);
  }

  @Test
  void timingsWithoutCountersHaveNoShare() {
    assertThat(StepTimings.EMPTY.otherProcessesCpuShare()).isNaN();
    assertThat(
            new StepTimings(
                    java.util.List.of(),
                    java.util.List.of(),
                    java.util.List.of(),
                    java.util.List.of(),
                    1,
                    4)
                .otherProcessesCpuShare())
        .isEqualTo(0.25);
  }
}
