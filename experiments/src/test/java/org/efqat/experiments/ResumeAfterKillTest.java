package org.efqat.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.efqat.core.session.RunFolder;
import org.efqat.core.session.RunMetrics;
import org.efqat.core.session.Stage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code efqat run} as a separate process, killed in the middle of the EfQAT stage ({@code kill
 * -9}, or SIGTERM, which writes a checkpoint after the current step and exits 143), then started
 * again with the same command: the final metrics (timings aside) and checkpoints are bit-identical
 * to an uninterrupted run's.
 */
class ResumeAfterKillTest {
  private static final String EXPERIMENT =
      """
      version: 1
      name: killed
      seed: 11
      backend: %s
      checkpointEvery: 10
      model: {architecture: {type: cnn, width: 8}}
      data: {dataset: synthetic, batchSize: 32, trainSamples: 2048, testSamples: 256}
      pretrain:
        epochs: 1
        optimizer: {type: sgd, lr: 0.05}
      quantization:
        weights: {type: lsq, bits: 4}
        activations: {type: lsq-plus, bits: 4}
      efqat:
        freeze: {type: random, p: 0.25}
        interval: 256
        epochs: 2
      optimizer: {type: adamw, lr: 0.001}
      """;

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"nd4j, KILL", "nd4j, TERM", "tf, KILL"})
  void anInterruptedRunResumesToTheSameResult(
      String backend, String signal, @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path file = dir.resolve("killed.yaml");
    Files.writeString(file, EXPERIMENT.formatted(backend));

    Path reference = dir.resolve("reference");
    assertThat(efqat(file, reference, dir.resolve("reference.log")).waitFor()).isZero();

    Path out = dir.resolve("interrupted");
    Path run = out.resolve("killed");
    Process p = efqat(file, out, dir.resolve("interrupted.log"));
    Path resume = run.resolve(Stage.EFQAT.resumeFile());
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (!Files.exists(resume) && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(p.isAlive())
        .as(
            "the run was still in its EfQAT stage when the first resume"
                + " checkpoint appeared (log: %s)",
            Files.readString(dir.resolve("interrupted.log")))
        .isTrue();
    if (signal.equals("KILL")) {
      p.destroyForcibly(); // SIGKILL
      assertThat(p.waitFor()).isEqualTo(137);
    } else {
      p.destroy(); // SIGTERM: checkpoint after the current step, then exit 128 + 15
      assertThat(p.waitFor()).isEqualTo(143);
      assertThat(Files.readString(dir.resolve("interrupted.log")))
          .contains("efqat interrupted after step");
    }
    assertThat(new RunFolder(run).readState().completed()).doesNotContain(Stage.EFQAT);
    assertThat(resume).exists();

    Process again = efqat(file, out, dir.resolve("resumed.log"));
    assertThat(again.waitFor()).as(Files.readString(dir.resolve("resumed.log"))).isZero();
    assertThat(Files.readString(dir.resolve("resumed.log")))
        .contains("pretrain done earlier")
        .contains("efqat resumes after step");

    RunMetrics expected = new RunFolder(reference.resolve("killed")).readMetrics();
    RunMetrics actual = new RunFolder(run).readMetrics();
    assertThat(actual.withoutTimings()).isEqualTo(expected.withoutTimings());
    assertThat(actual.efqat().training().timings().stepMs())
        .hasSize(expected.efqat().training().steps());
    for (String ckpt : List.of("fp.safetensors", "efqat.safetensors")) {
      assertThat(Files.readAllBytes(run.resolve(ckpt)))
          .as(ckpt)
          .isEqualTo(Files.readAllBytes(reference.resolve("killed").resolve(ckpt)));
    }
    assertThat(resume).doesNotExist();
    try (var files = Files.list(run)) {
      assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.contains(".tmp"));
    }
  }

  /** Starts {@code efqat run FILE --output OUT} in a JVM of its own. */
  private static Process efqat(Path file, Path output, Path log) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xmx2g",
            "-Djava.awt.headless=true",
            "-cp",
            System.getProperty("java.class.path"),
            EfqatCli.class.getName(),
            "run",
            file.toString(),
            "--output",
            output.toString());
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
    return pb.start();
  }

  static {
    // the class path of the forked JVMs is this test JVM's
    assertThat(System.getProperty("java.class.path")).contains(File.pathSeparator);
  }
}
