package org.efqat.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.efqat.core.session.RunFolder;
import org.efqat.core.session.RunMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code efqat compare} end to end on ND4J and TensorFlow with a small CNN. */
class CompareCommandTest {
  @TempDir Path dir;

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

  private CliResult compare(String... args) throws Exception {
    return compareFile(EXPERIMENT, args);
  }

  private CliResult compareFile(String yaml, String... args) throws Exception {
    Path file = dir.resolve("experiment.yaml");
    Files.writeString(file, yaml);
    String[] all = new String[3 + args.length];
    all[0] = "compare";
    all[1] = file.toString();
    all[2] = "--output=" + dir.resolve("runs");
    System.arraycopy(args, 0, all, 3, args.length);
    return CliResult.run(all);
  }

  @Test
  void comparesNd4jAndTensorFlowSideBySide() throws Exception {
    System.setProperty("java.awt.headless", "true");
    CliResult r = compare("--backends=nd4j,tf", "--probe-samples=8");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("efqat compare tiny: nd4j vs tf")
        .contains("FP accuracy")
        .contains("EfQAT backward ms/step")
        .contains("logits after PTQ")
        .contains("logits after 1st EfQAT step");

    Path root = dir.resolve("runs/tiny-compare");
    assertThat(root.resolve("tiny-nd4j/metrics.json")).exists();
    assertThat(root.resolve("tiny-tf/metrics.json")).exists();
    JsonNode json = new ObjectMapper().readTree(root.resolve("compare.json").toFile());
    for (String backend : new String[] {"nd4j", "tf"}) {
      RunMetrics m =
          RunFolder.json()
              .treeToValue(json.get("backends").get(backend).get("metrics"), RunMetrics.class);
      assertThat(m).isEqualTo(new RunFolder(root.resolve("tiny-" + backend)).readMetrics());
      assertThat(m.efqat().test().accuracy()).as(backend).isBetween(0.0, 1.0);
      assertThat(m.efqat().training().timings().medianWeightGradientMs()).as(backend).isPositive();
    }
    // Same seed, same initial weights and batches: the FP models after one epoch agree.
    assertThat(json.at("/backends/tf/metrics/fp/test/accuracy").asDouble())
        .isEqualTo(json.at("/backends/nd4j/metrics/fp/test/accuracy").asDouble());
    JsonNode agreement = json.get("agreement").get(0);
    assertThat(agreement.get("backend").asText()).isEqualTo("tf");
    assertThat(agreement.get("layers")).hasSize(4); // 3 convolutions and fc
    double rel = agreement.get("ptqLogits").get("maxRel").asDouble();
    if (agreement.get("ptqWithinTolerance").asBoolean()) {
      assertThat(rel).isLessThanOrEqualTo(1e-4);
    } else {
      assertThat(agreement.get("explanation").asText()).isNotEmpty();
      assertThat(r.out()).contains("FLAGGED tf");
    }
    assertThat(Files.readString(root.resolve("compare.md"))).contains("| FP accuracy |");
    var png = ImageIO.read(root.resolve("losses.png").toFile());
    assertThat(png.getWidth()).isPositive();
    assertThat(png.getHeight()).isGreaterThan(png.getWidth()); // four stacked panels
  }

  /**
   * ResNet-20 has no max pooling, so nothing can route a gradient differently: the training step
   * through TensorFlow's direct convolution must match ND4J's im2col + GEMM path within the
   * tolerance, gradients of every parameter included.
   */
  @Test
  void residualNetworkAgreesAfterTheFirstTrainingStep() throws Exception {
    String resnet =
        EXPERIMENT.replace("type: cnn", "type: resnet20").replace("name: tiny", "name: tinyres");
    CliResult r = compareFile(resnet, "--backends=nd4j,tf", "--probe-samples=8");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode agreement =
        new ObjectMapper()
            .readTree(dir.resolve("runs/tinyres-compare/compare.json").toFile())
            .get("agreement")
            .get(0);
    assertThat(agreement.get("ptqWithinTolerance").asBoolean()).isTrue();
    assertThat(agreement.get("stepWithinTolerance").asBoolean())
        .as(agreement.get("explanation").asText())
        .isTrue();
    for (JsonNode g : agreement.get("gradients")) {
      assertThat(g.get("gradient").get("maxRel").asDouble())
          .as(g.get("parameter").asText())
          .isLessThan(1e-3);
    }
    assertThat(r.out()).doesNotContain("FLAGGED");
  }

  @Test
  void needsTwoDifferentRegisteredBackends() throws Exception {
    CliResult one = compare("--backends=nd4j,nd4j");
    assertThat(one.exit()).isEqualTo(EfqatCli.EXIT_FAILURE);
    assertThat(one.err()).contains("expected at least two different backends");

    CliResult unknown = compare("--backends=nd4j,nope");
    assertThat(unknown.exit()).isEqualTo(EfqatCli.EXIT_INVALID);
    assertThat(unknown.err())
        .contains("--backends")
        .contains("'nope' is not a registered")
        .contains("nd4j")
        .contains("tf");
    assertThat(Arrays.asList(dir.toFile().list())).doesNotContain("runs");
  }
}
