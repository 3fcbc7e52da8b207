package org.efqat.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.efqat.core.session.RunFolder;
import org.efqat.core.session.RunMetrics;
import org.efqat.core.session.Stage;
import org.efqat.core.sweep.PointStatus;
import org.efqat.core.sweep.SweepTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code efqat sweep} on small sweeps: shared FP and PTQ stages computed once per distinct
 * configuration, a failing point recorded without stopping the others, finished points never run
 * again, a killed point resumed to the result of an uninterrupted one, and points run as separate
 * processes with {@code --jobs}.
 */
class SweepCommandTest {
  private static final String BASE =
      """
      version: 1
      name: %s
      seed: 3
      backend: nd4j
      output: %s
      checkpointEvery: 10
      model: {architecture: {type: cnn, width: 8}}
      data: {dataset: synthetic, batchSize: 32, trainSamples: 1024, testSamples: 256}
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
      divergence: {maxLoss: 50}
      """;

  @TempDir Path dir;

  private Path write(String name, String sweep) throws Exception {
    Path f = dir.resolve(name + ".yaml");
    Files.writeString(f, BASE.formatted(name, dir.resolve("out")) + sweep);
    return f;
  }

  private SweepTable table(String name) throws Exception {
    return RunFolder.json()
        .readValue(
            dir.resolve("out").resolve(name).resolve(SweepTable.JSON).toFile(), SweepTable.class);
  }

  private static List<String> folders(Path stages, String prefix) throws Exception {
    try (Stream<Path> s = Files.list(stages)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).toList();
    }
  }

  @Test
  void sharesStagesRecordsAFailureAndNeverRunsAFinishedPointAgain() throws Exception {
    Path file =
        write(
            "grid",
            """
            sweep:
              quantization.weights.bits: [4, 8]
              efqat.freeze.p: [0.1, 0.5]
              points:
                - {efqat.freeze.type: none}
                - {optimizer.lr: 90}
            """);
    CliResult v = CliResult.run("validate", file.toString());
    assertThat(v.out()).as(v.err()).contains("sweep grid: 6 points, each valid");

    CliResult r = CliResult.run("sweep", file.toString());
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(EfqatCli.EXIT_FAILURE);
    assertThat(r.out()).contains("sweep grid: 5/6 done, 1 failed, 0 started, 0 pending");
    SweepTable t = table("grid");
    assertThat(t.rows()).hasSize(6);
    assertThat(t.rows().get(5).status()).isEqualTo(PointStatus.FAILED);
    assertThat(t.rows().get(5).error()).contains("diverged");
    assertThat(t.rows().subList(0, 5)).allMatch(row -> row.status() == PointStatus.DONE);
    assertThat(t.rows().get(4).unfrozenFraction()).isZero();

    // one FP model; one PTQ calibration per weight bit width
    Path stages = dir.resolve("out/grid/stages");
    assertThat(folders(stages, "fp-")).hasSize(1);
    assertThat(folders(stages, "ptq-")).hasSize(2);
    assertThat(r.out()).containsOnlyOnce("shared stage fp-");
    RunMetrics p0 = new RunFolder(dir.resolve("out/grid/points/grid-p000")).readMetrics();
    RunMetrics p1 = new RunFolder(dir.resolve("out/grid/points/grid-p001")).readMetrics();
    RunMetrics p2 = new RunFolder(dir.resolve("out/grid/points/grid-p002")).readMetrics();
    assertThat(p1.fp()).isEqualTo(p0.fp());
    assertThat(p1.ptq()).isEqualTo(p0.ptq());
    assertThat(p2.ptq()).isNotEqualTo(p0.ptq());
    assertThat(Files.readString(dir.resolve("out/grid/sweep.md")))
        .contains("| [p005](points/grid-p005) |")
        .contains("failed");

    // again: the finished points are skipped, the failed one is tried again (and fails again)
    CliResult again = CliResult.run("sweep", file.toString());
    assertThat(again.out()).contains("6 points (1 to run)").doesNotContain("p000:");
    assertThat(new RunFolder(dir.resolve("out/grid/points/grid-p000")).readMetrics()).isEqualTo(p0);

    CliResult commands = CliResult.run("sweep", file.toString(), "--print-commands");
    assertThat(commands.out().lines())
        .hasSize(2)
        .allMatch(l -> l.contains(" sweep " + file.toAbsolutePath()));
    assertThat(commands.out()).contains("--shared-stages").contains("--point 5");
  }

  @Test
  void aKilledPointResumesToTheResultOfAnUninterruptedOne() throws Exception {
    String sweep = "sweep:\n  efqat.freeze.p: [0.25, 0.5]\n";
    Path reference = write("reference", sweep);
    assertThat(CliResult.run("sweep", reference.toString()).exit()).isZero();

    Path file = write("killed", sweep);
    Path log = dir.resolve("killed.log");
    Process p = sweepProcess(file, log, "--jobs", "1");
    Path point0 = dir.resolve("out/killed/points/killed-p000");
    Path resume = point0.resolve(Stage.EFQAT.resumeFile());
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (!Files.exists(resume) && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(p.isAlive()).as(Files.readString(log)).isTrue();
    p.destroyForcibly();
    p.waitFor();
    assertThat(new RunFolder(point0).readState().completed()).doesNotContain(Stage.EFQAT);

    CliResult r = CliResult.run("sweep", file.toString());
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("efqat resumes after step");
    for (String id : List.of("p000", "p001")) {
      RunMetrics expected =
          new RunFolder(dir.resolve("out/reference/points/reference-" + id)).readMetrics();
      RunMetrics actual =
          new RunFolder(dir.resolve("out/killed/points/killed-" + id)).readMetrics();
      assertThat(actual.withoutTimings()).as(id).isEqualTo(expected.withoutTimings());
    }
  }

  @Test
  void pointsRunAsSeparateProcessesWithJobs() throws Exception {
    Path file = write("parallel", "sweep:\n  efqat.freeze.p: [0.1, 0.25, 0.5]\n");
    Path log = dir.resolve("parallel.log");
    Process p = sweepProcess(file, log, "--jobs", "2");
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(log)).isZero();
    assertThat(Files.readString(log))
        .contains("2 processes at a time, 1 thread each")
        .contains("3/3 done");
    SweepTable t = table("parallel");
    assertThat(t.rows()).allMatch(row -> row.status() == PointStatus.DONE);
    assertThat(dir.resolve("out/parallel/points/parallel-p002/sweep-task.log")).isRegularFile();
  }

  /** {@code efqat sweep FILE ARGS} in a JVM of its own that sees two processors. */
  private static Process sweepProcess(Path file, Path log, String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                java,
                "-Xmx1g",
                "-XX:ActiveProcessorCount=2",
                "-Djava.awt.headless=true",
                "-cp",
                System.getProperty("java.class.path"),
                EfqatCli.class.getName(),
                "sweep",
                file.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
    return pb.start();
  }
}
