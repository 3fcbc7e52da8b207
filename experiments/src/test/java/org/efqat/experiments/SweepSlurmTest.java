package org.efqat.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.efqat.core.session.RunFolder;
import org.efqat.core.session.Stage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code efqat sweep --slurm} against real {@code slurmctld} and {@code slurmd} daemons on
 * localhost ({@link LocalSlurm}, {@code .ci/slurm/}): the submission makes a job for the shared
 * stages and a job array over the points depending on it; every point finishes, and the shared
 * stages ran once. Tagged {@code slurm}; skipped (with the reason) where Slurm cannot run — CI
 * installs it first ({@code .ci/run}).
 */
@Tag("slurm")
class SweepSlurmTest {
  private static final String SWEEP =
      """
      version: 1
      name: slurm
      seed: 5
      backend: nd4j
      output: %s
      model: {architecture: {type: cnn, width: 8}}
      data: {dataset: synthetic, batchSize: 32, trainSamples: 512, testSamples: 128}
      pretrain:
        epochs: 1
        optimizer: {type: sgd, lr: 0.05}
      quantization:
        weights: {type: lsq, bits: 4}
        activations: {type: lsq-plus, bits: 4}
      efqat:
        freeze: {type: cwpn, p: 0.25}
        interval: 256
        epochs: 1
      optimizer: {type: adamw, lr: 0.001}
      sweep:
        efqat.freeze.p: [0.1, 0.25, 0.5]
      """;

  @TempDir Path dir;

  @Test
  void aSweepRunsAsASharedStageJobAndAJobArray() throws Exception {
    try (LocalSlurm slurm = LocalSlurm.start(dir)) {
      Path out = dir.resolve("out");
      Path file = dir.resolve("slurm.yaml");
      Files.writeString(file, SWEEP.formatted(out));
      Path launcher = launcher();

      ProcessBuilder pb =
          new ProcessBuilder(
              java(),
              "-Xmx512m",
              "-Defqat.launcher=" + launcher,
              "-cp",
              System.getProperty("java.class.path"),
              EfqatCli.class.getName(),
              "sweep",
              file.toString(),
              "--slurm",
              "--cpus",
              "1",
              "--time",
              "10:00");
      pb.environment().putAll(slurm.environment());
      Path log = dir.resolve("submit.log");
      pb.redirectErrorStream(true).redirectOutput(log.toFile());
      Process submit = pb.start();
      assertThat(submit.waitFor(2, TimeUnit.MINUTES)).isTrue();
      assertThat(submit.exitValue()).as(Files.readString(log)).isZero();
      assertThat(Files.readString(log))
          .contains("submitted job")
          .contains("for the shared stages")
          .contains("with 3 tasks");

      Path points = out.resolve("slurm/points");
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (System.nanoTime() < deadline && !allDone(points)) {
        Thread.sleep(500);
      }
      assertThat(allDone(points)).as(slurmLogs(out)).isTrue();
      try (Stream<Path> s = Files.list(out.resolve("slurm/stages"))) {
        assertThat(s.map(p -> p.getFileName().toString()))
            .as("one FP and one PTQ stage, computed by the parent job")
            .hasSize(2)
            .anyMatch(n -> n.startsWith("fp-"))
            .anyMatch(n -> n.startsWith("ptq-"));
      }
      // the last task writes the table just after its point's state: wait for that write too
      Path table = out.resolve("slurm/sweep.md");
      while (System.nanoTime() < deadline && !Files.readString(table).contains("3/3 done")) {
        Thread.sleep(500);
      }
      assertThat(Files.readString(table)).contains("3/3 done");
    }
  }

  private static boolean allDone(Path points) {
    for (String id : List.of("p000", "p001", "p002")) {
      Path run = points.resolve("slurm-" + id);
      if (!Files.exists(run.resolve(RunFolder.STATE))
          || !new RunFolder(run).readState().isComplete(Stage.EFQAT)) {
        return false;
      }
    }
    return true;
  }

  private static String slurmLogs(Path out) throws Exception {
    Path logs = out.resolve("slurm/slurm");
    if (!Files.isDirectory(logs)) {
      return "no Slurm output in " + logs;
    }
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> s = Files.list(logs)) {
      for (Path p : s.sorted().toList()) {
        sb.append("== ").append(p.getFileName()).append('\n').append(Files.readString(p));
      }
    }
    return sb.toString();
  }

  /** An {@code efqat} launcher for the jobs: this test's JVM and class path. */
  private Path launcher() throws Exception {
    Path script = dir.resolve("efqat");
    Files.writeString(
        script,
        "#!/bin/sh\nexec '"
            + java()
            + "' -Xmx512m -XX:ActiveProcessorCount=1 -cp '"
            + System.getProperty("java.class.path")
            + "' "
            + EfqatCli.class.getName()
            + " \"$@\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
