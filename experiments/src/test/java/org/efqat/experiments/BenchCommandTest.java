package org.efqat.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.efqat.core.config.ExperimentLoader;
import org.efqat.core.config.ResolvedExperiment;
import org.efqat.core.registry.ComponentRegistry;
import org.efqat.core.session.RunFolder;
import org.efqat.experiments.bench.BenchResults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code efqat bench} end to end on a small CNN and a tiny encoder, both backends, and its input
 * checks.
 */
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
        .contains("heap -> backend")
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
      if (p == 0.5) {
        assertThat(n.kernelMsPerStep().keySet())
            .containsAnyOf("CONV2D_BACKWARD_WEIGHT_ROWS", "SPARSE_ROW_WEIGHT_GRADIENT");
      }
      if (p == 0.0) {
        assertThat(n.unfrozenFraction()).isZero();
        // no rows: no weight-gradient kernel runs
        assertThat(n.kernelMsPerStep())
            .doesNotContainKeys("CONV2D_BACKWARD_WEIGHT_ROWS", "SPARSE_ROW_WEIGHT_GRADIENT");
      }
      assertThat(n.idealBackwardSpeedup()).isEqualTo(2 / (1 + p));
      // every step uploads at least its batch (8 images of 3x16x16 floats) and reads logits back
      assertThat(n.bytesToBackendPerStep()).isGreaterThanOrEqualTo(8 * 3 * 16 * 16 * 4);
      assertThat(n.bytesToHeapPerStep()).isPositive();
      // NaN only when unknown: without /proc/stat, or when the steps took less than one clock
      // tick of the machine's CPU counters (tiny steps on a fast machine); the bench says so
      if (Double.isNaN(n.otherCpuShare())) {
        assertThat(Files.readString(dir.resolve("bench-cnn/bench.md")))
            .contains("other processes' share of the CPU unknown");
      } else {
        assertThat(n.otherCpuShare()).isBetween(0.0, 1.0);
      }
    }
    assertThat(Files.readString(dir.resolve("bench-cnn/bench.md")))
        .contains("dW p=0.5")
        .contains("of the CPU");
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

  @Test
  void timesATinyEncoderOnBothBackendsWithItsLayerNames() throws Exception {
    System.setProperty("java.awt.headless", "true");
    Path file = dir.resolve("encoder.yaml");
    Files.writeString(
        file,
        """
        version: 1
        name: tiny-encoder
        backend: nd4j
        model: {architecture: {type: bert, preset: tiny}}
        data: {dataset: {type: random-tokens, length: 64}, batchSize: 32}
        quantization:
          weights: {type: lsq, bits: 8}
          activations: {type: lsq-plus, bits: 8}
          calibration: {batches: 1}
        efqat: {freeze: {type: cwpn, p: 1}, interval: 1000000000}
        optimizer: {type: sgd, lr: 1.0e-4, momentum: 0.9, schedule: constant}
        """);
    CliResult r =
        bench(
            file.toString(),
            "--layers=1",
            "--seq=16",
            "--batch=4",
            "--p=0.5,0",
            "--backends=nd4j,tf",
            "--warmup=1",
            "--steps=1",
            "--rounds=1");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("efqat bench: bert {preset=tiny")
        .contains("layers=1")
        .contains("batch 4, random-tokens {length=16")
        .contains("bwd x")
        .contains("encoder.layer.0.attention.self.query ")
        .contains("encoder.layer.0.output.LayerNorm ");
    BenchResults json =
        RunFolder.json()
            .readValue(dir.resolve("bench-bert-tiny/bench.json").toFile(), BenchResults.class);
    assertThat(json.results()).hasSize(6); // 2 backends x (1, 0.5, 0)
    assertThat(json.spec().experiment().data().batchSize()).isEqualTo(4);
    assertThat(json.spec().experiment().data().dataset().options())
        .containsEntry("length", 16)
        .containsEntry("samples", 4);
    assertThat(json.spec().experiment().model().architecture().options())
        .containsEntry("layers", 1);
    for (BenchResults.Row n : json.results()) {
      double p = n.p();
      assertThat(n.stepMs().n()).isEqualTo(1);
      assertThat(n.backwardMs().median()).isPositive();
      // six Linears per layer and the classifier, each with dX and dW; q, k, v run inside the
      // attention layer's forward and backward, which are timed as one
      for (String linear :
          List.of(
              "encoder.layer.0.attention.self.query",
              "encoder.layer.0.attention.self.key",
              "encoder.layer.0.attention.self.value",
              "encoder.layer.0.attention.output.dense",
              "encoder.layer.0.intermediate.dense",
              "encoder.layer.0.output.dense",
              "classifier")) {
        assertThat(n.layers().get(linear)).containsKeys("input_gradient", "weight_gradient");
      }
      assertThat(n.layers().get("encoder.layer.0.attention.self.query"))
          .doesNotContainKeys("forward", "backward");
      assertThat(n.layers().get("encoder.layer.0.attention.self"))
          .containsKeys("forward", "backward");
      assertThat(n.layers()).containsKey("encoder.layer.0.attention.output.LayerNorm");
      assertThat(n.layers()).doesNotContainKey("encoder.layer.1.attention.self");
      if (p == 1.0) {
        assertThat(n.backwardSpeedup()).isEqualTo(1.0);
        assertThat(n.unfrozenFraction()).isEqualTo(1.0);
      } else {
        assertThat(n.backwardSpeedup()).isPositive().isFinite();
      }
      if (p == 0.0) {
        assertThat(n.unfrozenFraction()).isZero();
      }
      assertThat(n.idealBackwardSpeedup()).isEqualTo(2 / (1 + p));
    }
    String md = Files.readString(dir.resolve("bench-bert-tiny/bench.md"));
    assertThat(md).contains("layer (tf, cwpn)").contains("dW p=0.5");
    // the long names fit: every row of a layer table has the header's width up to "fwd"
    String row =
        md.lines()
            .filter(l -> l.startsWith("encoder.layer.0.attention.self.query "))
            .findFirst()
            .orElseThrow();
    assertThat(row).matches("encoder\\.layer\\.0\\.attention\\.self\\.query +- +- +[0-9.]+ .*");
    assertThat(ImageIO.read(dir.resolve("bench-bert-tiny/speedup.png").toFile()).getWidth())
        .isPositive();
  }

  @Test
  void theMiniLmPresetRunsWithFewerLayersAndShorterSequences() throws Exception {
    System.setProperty("java.awt.headless", "true");
    CliResult r =
        bench(
            "--preset=minilm",
            "--layers=1",
            "--seq=8",
            "--batch=2",
            "--p=0",
            "--warmup=0",
            "--steps=1",
            "--rounds=1");
    assertThat(r.exit()).as(r.err()).isZero();
    BenchResults json =
        RunFolder.json()
            .readValue(
                dir.resolve("bench-bert-all-minilm-l6-v2/bench.json").toFile(), BenchResults.class);
    assertThat(json.results()).extracting(BenchResults.Row::p).containsExactly(1.0, 0.0);
    assertThat(json.spec().experiment().model().architecture().options())
        .containsEntry("preset", "all-minilm-l6-v2")
        .containsEntry("layers", 1);
  }

  @Test
  void theBundledPresetsAreTheAdvertisedExperiments() throws Exception {
    ExperimentLoader loader = new ExperimentLoader(ComponentRegistry.loadDefault());
    assertThat(BenchCommand.PRESETS).containsOnlyKeys("resnet20", "minilm", "bert-base");
    for (var e : BenchCommand.PRESETS.entrySet()) {
      String yaml;
      try (var in = getClass().getClassLoader().getResourceAsStream(e.getValue())) {
        assertThat(in).as(e.getValue()).isNotNull();
        yaml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
      ResolvedExperiment x = loader.parse(yaml, e.getValue());
      assertThat(x.weightQuantizer().toSpec().options()).containsEntry("bits", 8);
      assertThat(x.activationQuantizer().toSpec().options()).containsEntry("bits", 8);
      assertThat(x.freeze().provider().name()).isEqualTo("cwpn");
      if (e.getKey().equals("resnet20")) {
        assertThat(x.model().provider().name()).isEqualTo("resnet20");
        continue;
      }
      assertThat(x.model().provider().name()).isEqualTo("bert");
      assertThat(x.model().toSpec().options())
          .containsEntry("preset", e.getKey().equals("minilm") ? "all-minilm-l6-v2" : "bert-base");
      assertThat(x.weightQuantizer().provider().name()).isEqualTo("lsq");
      assertThat(x.activationQuantizer().provider().name()).isEqualTo("lsq-plus");
      assertThat(x.dataset().provider().name()).isEqualTo("random-tokens");
      assertThat(x.dataset().toSpec().options())
          .containsEntry("length", 128)
          .containsEntry("samples", 32);
      assertThat(x.config().data().batchSize()).isEqualTo(32);
    }
  }

  @Test
  void optionsOfTheOtherKindOfModelAreOneLineErrors() {
    assertOneLineError(
        bench("--preset=minilm", "--image=32", "--width=8"),
        "efqat bench: --width 8, --image 32 apply to image models, not to the bert encoder");
    assertOneLineError(
        bench("--preset=bert-base", "--channels=1"), "--channels 1 applies to image models");
    assertOneLineError(
        bench("--seq=16"), "efqat bench: --seq 16 applies to the bert encoder (--preset minilm");
    assertOneLineError(
        bench("--model=cnn", "--layers=2"), "--layers 2 applies to the bert encoder");
    assertOneLineError(bench("--model=bert"), "--model bert needs token-id data");
    assertOneLineError(
        bench("--preset=minilm", "--model=resnet20"), "--model resnet20 replaces the encoder");
    assertOneLineError(
        bench("--preset=distilbert"),
        "efqat bench: --preset must be one of bert-base, minilm, resnet20 (was 'distilbert')");
    assertOneLineError(
        bench(dir.resolve("x.yaml").toString(), "--preset=minilm"),
        "give an experiment FILE or --preset, not both");
  }

  private static void assertOneLineError(CliResult r, String message) {
    assertThat(r.exit()).isEqualTo(EfqatCli.EXIT_INVALID);
    assertThat(r.err()).contains(message);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.out()).isEmpty();
  }
}
