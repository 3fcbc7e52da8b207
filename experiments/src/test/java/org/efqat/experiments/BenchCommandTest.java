package org.efqat.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.efqat.core.session.RunFolder;
import org.efqat.experiments.bench.BenchResults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code efqat bench} end to end on a small CNN, both backends, and its input checks. */
class BenchCommandTest {
  @TempDir Path dir;

  private CliResult bench(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "bench";
    all[1] = "--output=" + dir;
    System.arraycopy(args, 0, all, 2, args.length);
    return CliResult.run(all);
  }

  @Test
  void measuresEveryBackendAndFractionSideBySide() throws Exception {
    System.setProperty("java.awt.headless", "true");
    CliResult r =
        bench(
            "--model=cnn",
            "--width=4",
            "--batch=8",
            "--image=16",
            "--p=0.5,0",
            "--backends=nd4j,tf",
            "--warmup=1",
            "--steps=2",
            "--rounds=1");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains(
            "efqat bench: cnn {width=4}, batch 8, random-images {side=16,"
                + " channels=3, classes=10, samples=8}, weights {bits=8")
        .contains("backward ms")
        .contains("kernels")
        .contains("features.0.conv");
    BenchResults json =
        RunFolder.json()
            .readValue(dir.resolve("bench-cnn/bench.json").toFile(), BenchResults.class);
    assertThat(json.results()).hasSize(6); // 2 backends x (1 added as the baseline, 0.5, 0)
    assertThat(json.spec().experiment().data().batchSize()).isEqualTo(8);
    for (BenchResults.Row n : json.results()) {
      double p = n.p();
      assertThat(n.stepMs().n()).isEqualTo(2);
      assertThat(n.stepMs().median()).isPositive();
      assertThat(n.layers()).containsKey("features.1.conv");
      if (p == 1.0) {
        assertThat(n.backwardSpeedup()).isEqualTo(1.0);
        assertThat(n.unfrozenFraction()).isEqualTo(1.0);
      }
      if (p == 0.0) {
        assertThat(n.unfrozenFraction()).isZero();
        // no rows: the weight gradient returns at once (a few microseconds in all)
        assertThat(n.weightGradientMs().median()).isLessThan(0.05);
      }
      assertThat(n.idealBackwardSpeedup()).isEqualTo(2 / (1 + p));
    }
    assertThat(Files.readString(dir.resolve("bench-cnn/bench.md"))).contains("dW p=0.5");
    var png = ImageIO.read(dir.resolve("bench-cnn/speedup.png").toFile());
    assertThat(png.getWidth()).isPositive();
  }

  @Test
  void benchmarksPoliciesWithoutAFractionOnceAndTakesTheExperimentFromAFile() throws Exception {
    Path file = dir.resolve("exp.yaml");
    Files.writeString(
        file,
        """
        version: 1
        name: mine
        backend: nd4j
        model: {architecture: {type: mlp, width: 16}}
        data: {dataset: {type: random-images, side: 8, channels: 1, samples: 16}, batchSize: 16}
        quantization:
          weights: {type: fixed-ste, bits: 6}
          activations: {type: lsq-plus, bits: 6}
          calibration: {batches: 1}
        efqat: {freeze: {type: cwpl, p: 0.5}}
        optimizer: {type: adamw, lr: 1.0e-4, schedule: constant}
        """);
    CliResult r =
        bench(
            file.toString(),
            "--policies=cwpl,all,none",
            "--p=0.25",
            "--warmup=0",
            "--steps=1",
            "--rounds=1");
    assertThat(r.exit()).as(r.err()).isZero();
    BenchResults json =
        RunFolder.json()
            .readValue(dir.resolve("bench-mlp/bench.json").toFile(), BenchResults.class);
    assertThat(json.spec().experiment().quantization().weights().type()).isEqualTo("fixed-ste");
    List<String> rows = new java.util.ArrayList<>();
    for (BenchResults.Row n : json.results()) {
      rows.add(n.policy() + " " + n.p() + " " + n.unfrozenFraction());
    }
    // cwpl trains ceil(p * rows) of each layer: (4 + 4 + 3) of the MLP's 16 + 16 + 10 rows
    assertThat(rows)
        .containsExactly("cwpl 1.0 1.0", "cwpl 0.25 " + 11.0 / 42, "all null 1.0", "none null 0.0");
  }

  @Test
  void rejectsFractionsOutsideTheUnitIntervalAndUnknownBackends() {
    CliResult p = bench("--p=1.5");
    assertThat(p.exit()).isEqualTo(EfqatCli.EXIT_INVALID);
    assertThat(p.err()).contains("--p values must be in [0, 1]");
    CliResult b = bench("--model=cnn", "--backends=nope", "--steps=1", "--warmup=0");
    assertThat(b.exit()).isEqualTo(EfqatCli.EXIT_INVALID);
    assertThat(b.err()).contains("'nope' is not a registered backend");
  }
}
