package org.efqat.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.efqat.core.checkpoint.Checkpoint;
import org.efqat.core.checkpoint.NamedTensor;
import org.efqat.core.checkpoint.SafetensorsReader;
import org.efqat.core.importance.RowImportance;
import org.efqat.core.session.RunFolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code efqat importance} end to end on a small CNN run: files, values, plots, errors. */
class ImportanceCommandTest {
  @TempDir static Path dir;

  private static final String EXPERIMENT =
      """
      version: 1
      name: tiny
      seed: 5
      backend: nd4j
      model: {architecture: {type: cnn, width: 4}}
      data: {dataset: fashion-mnist-sample, batchSize: 32, trainSamples: 128, testSamples: 64}
      pretrain:
        epochs: 1
        optimizer: {type: sgd, lr: 0.05}
      quantization:
        weights: {type: lsq, bits: 4}
        activations: {type: lsq-plus, bits: 4}
        firstLayerBits: 8
        lastLayerBits: 8
      efqat:
        freeze: {type: cwpn, p: 0.5}
        interval: 64
      optimizer: {type: sgd, lr: 0.01}
      """;

  private static Path runDir;

  @BeforeAll
  static void runTheExperiment() throws Exception {
    Path file = dir.resolve("tiny.yaml");
    Files.writeString(file, EXPERIMENT);
    CliResult r = CliResult.run("run", file.toString(), "--output=" + dir.resolve("runs"));
    assertThat(r.exit()).as(r.err()).isZero();
    runDir = dir.resolve("runs/tiny");
  }

  /** Layer name → mean |w| per row, of the quantized weight layers of a checkpoint. */
  private static Map<String, double[]> meanAbs(Checkpoint ckpt, List<String> layers) {
    Map<String, double[]> m = new LinkedHashMap<>();
    for (String layer : layers) {
      NamedTensor w = ckpt.get(layer + ".weight");
      int rows = (int) w.shape()[0];
      int cols = w.numel() / rows;
      double[] s = new double[rows];
      for (int r = 0; r < rows; r++) {
        double sum = 0;
        for (int j = 0; j < cols; j++) {
          sum += Math.abs(w.data()[r * cols + j]);
        }
        s[r] = sum / cols;
      }
      m.put(layer, s);
    }
    return m;
  }

  /** The quantized weight layers of an EfQAT checkpoint: those with a weight step. */
  private static List<String> quantizedLayers(Checkpoint ckpt) {
    return ckpt.tensors().keySet().stream()
        .filter(k -> k.endsWith(".weight_step"))
        .map(k -> k.substring(0, k.length() - ".weight_step".length()))
        .toList();
  }

  private static void checkCsv(Path csv, Map<String, double[]> expected) throws Exception {
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines.get(0)).isEqualTo("layer,row,index,importance,outlier");
    int total = expected.values().stream().mapToInt(s -> s.length).sum();
    assertThat(lines).hasSize(total + 1);
    for (int i = 1; i < lines.size(); i++) {
      String[] f = lines.get(i).split(",", -1);
      assertThat(Integer.parseInt(f[2])).isEqualTo(i - 1);
      double want = expected.get(f[0])[Integer.parseInt(f[1])];
      assertThat(Double.parseDouble(f[3])).as(lines.get(i)).isCloseTo(want, within(1e-6 * want));
    }
  }

  private static void checkPng(Path png, int minWidth) throws Exception {
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image).as(png.toString()).isNotNull();
    assertThat(image.getWidth()).isGreaterThanOrEqualTo(minWidth);
    assertThat(image.getHeight()).isGreaterThanOrEqualTo(400);
    assertThat(Files.size(png)).isBetween(2_000L, 300_000L);
  }

  @Test
  void writesEveryRowOfTheEfqatCheckpointAndItsPlots() throws Exception {
    CliResult r = CliResult.run("importance", runDir.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    Checkpoint efqat = SafetensorsReader.read(runDir.resolve("efqat.safetensors"));
    List<String> layers = quantizedLayers(efqat);
    assertThat(layers).isNotEmpty();
    Map<String, double[]> expected = meanAbs(efqat, layers);
    checkCsv(runDir.resolve("importance-efqat.csv"), expected);

    RowImportance json =
        RunFolder.json()
            .readValue(runDir.resolve("importance-efqat.json").toFile(), RowImportance.class);
    assertThat(json.metric()).isEqualTo("mean-abs");
    assertThat(json.layers())
        .extracting(RowImportance.LayerRows::layer)
        .containsExactlyElementsOf(layers);
    assertThat(json.outliers())
        .allSatisfy(o -> assertThat(o.importance()).isGreaterThan(json.outlierThreshold()));

    checkPng(runDir.resolve("importance-efqat.png"), 1000);
    checkPng(runDir.resolve("importance-efqat-layers.png"), 700);
    assertThat(r.out()).contains("network: ").contains("wrote ");
    for (String layer : layers) {
      assertThat(r.out()).contains(layer);
    }
  }

  @Test
  void scoresTheFpCheckpointIntoAnotherFolder() throws Exception {
    Path out = dir.resolve("figures");
    CliResult r =
        CliResult.run("importance", runDir.toString(), "--stage", "fp", "--output", out.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    List<String> layers =
        quantizedLayers(SafetensorsReader.read(runDir.resolve("efqat.safetensors")));
    checkCsv(
        out.resolve("importance-fp.csv"),
        meanAbs(SafetensorsReader.read(runDir.resolve("fp.safetensors")), layers));
    checkPng(out.resolve("importance-fp.png"), 1000);
    assertThat(out.resolve("importance-fp-layers.png")).exists();
  }

  @Test
  void scoresThePtqStageWithAnotherMetric() throws Exception {
    Path out = dir.resolve("ptq");
    CliResult r =
        CliResult.run(
            "importance", runDir.toString(), "--stage=ptq", "--metric=mean-abs", "--output=" + out);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(out.resolve("importance-ptq.csv")).exists();
    CliResult unknown =
        CliResult.run(
            "importance", runDir.toString(), "--metric=no-such-metric", "--output=" + out);
    assertThat(unknown.exit()).isEqualTo(EfqatCli.EXIT_INVALID);
    assertThat(unknown.err()).contains("no-such-metric");
  }

  /** ResNet-20: every conv of the residual blocks and the classifier, BatchNorm folded. */
  @Test
  void coversEveryWeightLayerOfResNet20() throws Exception {
    Path file = dir.resolve("res.yaml");
    Files.writeString(
        file,
        EXPERIMENT
            .replace("type: cnn, width: 4", "type: resnet20")
            .replace("name: tiny", "name: tinyres")
            .replace("testSamples: 64", "testSamples: 32"));
    CliResult run = CliResult.run("run", file.toString(), "--output=" + dir.resolve("runs"));
    assertThat(run.exit()).as(run.err()).isZero();
    Path res = dir.resolve("runs/tinyres");
    CliResult r = CliResult.run("importance", res.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    Checkpoint efqat = SafetensorsReader.read(res.resolve("efqat.safetensors"));
    List<String> layers = quantizedLayers(efqat);
    assertThat(layers).hasSizeGreaterThanOrEqualTo(20);
    checkCsv(res.resolve("importance-efqat.csv"), meanAbs(efqat, layers));
    checkPng(res.resolve("importance-efqat.png"), 1000);
    checkPng(res.resolve("importance-efqat-layers.png"), 700);
  }

  @Test
  void aMissingRunFolderOrCheckpointIsAOneLineError() throws Exception {
    CliResult missing = CliResult.run("importance", dir.resolve("nope").toString());
    assertThat(missing.exit()).isEqualTo(EfqatCli.EXIT_FAILURE);
    assertThat(missing.err().strip())
        .isEqualTo("efqat: error: no run folder " + dir.resolve("nope"));

    CliResult notARun = CliResult.run("importance", dir.toString());
    assertThat(notARun.exit()).isEqualTo(EfqatCli.EXIT_FAILURE);
    assertThat(notARun.err().strip()).contains("is not a run folder").doesNotContain("\n");

    Path partial = dir.resolve("partial");
    Files.createDirectories(partial);
    Files.copy(runDir.resolve("resolved-config.yaml"), partial.resolve("resolved-config.yaml"));
    Files.copy(runDir.resolve("fp.safetensors"), partial.resolve("fp.safetensors"));
    CliResult noEfqat = CliResult.run("importance", partial.toString());
    assertThat(noEfqat.exit()).isEqualTo(EfqatCli.EXIT_FAILURE);
    assertThat(noEfqat.err().strip())
        .startsWith("efqat: error: no EFQAT checkpoint ")
        .contains("efqat.safetensors")
        .doesNotContain("\n");

    CliResult badStage = CliResult.run("importance", runDir.toString(), "--stage=qat");
    assertThat(badStage.exit()).isEqualTo(EfqatCli.EXIT_INVALID);
    assertThat(badStage.err()).contains("--stage must be fp, ptq or efqat (was qat)");
  }
}
