package org.efqat.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real {@code slurmctld} and {@code slurmd} daemons on localhost ({@link LocalSlurm}) run the job
 * pattern {@code efqat sweep --slurm} submits: a parent job (the shared FP/PTQ stages), then a job
 * array of points that depends on it ({@code afterok}), one CPU per task, several at once; and a
 * failed parent's dependents never run. Tagged {@code slow} (excluded by default; {@code -Pslow})
 * and {@code slurm}; skipped where Slurm cannot run (README "Testing against Slurm").
 */
@Tag("slow")
@Tag("slurm")
class SlurmClusterTest {
  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void anArrayOfPointsRunsAfterItsParentJob(@TempDir Path dir) throws Exception {
    try (LocalSlurm slurm = LocalSlurm.start(dir)) {
      LocalSlurm.Result smoke = slurm.runScript("smoke.sh", Duration.ofMinutes(3));
      smoke.assertSucceeded();
      assertThat(smoke.output()).contains("passed");
    }
  }
}
