package org.efqat.models.resnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.efqat.api.backend.Backend;
import org.efqat.api.spi.ComponentContext;
import org.efqat.backend.nd4j.Nd4jBackendConfig;
import org.efqat.backend.nd4j.Nd4jBackendProvider;
import org.efqat.core.checkpoint.CheckpointException;
import org.efqat.core.checkpoint.NamedTensor;
import org.efqat.core.checkpoint.NetworkCheckpoint;
import org.efqat.core.checkpoint.SafetensorsDtype;
import org.efqat.core.checkpoint.SafetensorsReader;
import org.efqat.core.checkpoint.SafetensorsWriter;
import org.efqat.core.nn.Activation;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.Network;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ResNet-20 trained in PyTorch and saved as safetensors with PyTorch's names loads into
 * efqat-models' ResNet-20 and computes PyTorch's logits (fixture and its generator in
 * src/test/resources/org/efqat/models/resnet20-fmnist/).
 */
class PyTorchResNet20Test {
  static final Path FIXTURE = Path.of("src/test/resources/org/efqat/models/resnet20-fmnist");

  /** PyTorch's FP32 logits differ from a float64 recomputation by < 5e-6; FP32 here by more. */
  private static final double LOGIT_TOLERANCE = 1e-3;

  private static Backend backend;

  @BeforeAll
  static void open() {
    backend = new Nd4jBackendProvider().create(new Nd4jBackendConfig(), ComponentContext.ofSeed(0));
  }

  @AfterAll
  static void close() {
    backend.close();
  }

  private static Network resnet() {
    return resnet(new SplittableRandom(1));
  }

  static Network resnet(Backend backend, SplittableRandom init) {
    return new ResNet20Provider()
        .create(new ResNet20Config(16), ComponentContext.ofSeed(0))
        .build(backend, new FeatureShape(1, 28, 28, 1), 10, init);
  }

  private static Network resnet(SplittableRandom init) {
    return resnet(backend, init);
  }

  @Test
  void loadsThePyTorchCheckpointAndReproducesItsLogits() throws Exception {
    Network net = resnet();
    NetworkCheckpoint.load(net, FIXTURE.resolve("resnet20-fmnist.safetensors"));
    assertReproducesPyTorchLogits(backend, net);
    net.release();
  }

  /**
   * Runs the golden images through a loaded network and compares with PyTorch's logits.
   *
   * @param backend the network's backend
   * @param net a ResNet-20 loaded with the fixture's weights
   */
  static void assertReproducesPyTorchLogits(Backend backend, Network net) throws Exception {
    JsonNode golden = new ObjectMapper().readTree(FIXTURE.resolve("golden.json").toFile());
    double mean = golden.get("preprocess").get("mean").asDouble();
    double std = golden.get("preprocess").get("std").asDouble();
    int n = golden.get("golden_count").asInt();
    float[] images = new float[n * 784];
    for (int i = 0; i < n; i++) {
      JsonNode px = golden.get("pixels_u8").get(i);
      for (int j = 0; j < 784; j++) {
        images[i * 784 + j] = (float) ((px.get(j).asInt() / 255.0 - mean) / std);
      }
    }
    Activation logits = net.forward(images, n, false);
    float[] z = backend.ops().toArray(logits.tensor());
    int agree = 0;
    for (int i = 0; i < n; i++) {
      JsonNode expected = golden.get("logits").get(i);
      int argmax = 0;
      int expectedArgmax = 0;
      for (int c = 0; c < 10; c++) {
        assertThat((double) z[i * 10 + c])
            .as("image %d class %d", i, c)
            .isCloseTo(expected.get(c).asDouble(), Offset.offset(LOGIT_TOLERANCE));
        argmax = z[i * 10 + c] > z[i * 10 + argmax] ? c : argmax;
        expectedArgmax =
            expected.get(c).asDouble() > expected.get(expectedArgmax).asDouble()
                ? c
                : expectedArgmax;
      }
      assertThat(argmax).isEqualTo(expectedArgmax);
      agree += argmax == golden.get("labels").get(i).asInt() ? 1 : 0;
    }
    assertThat(agree).isGreaterThan(n / 2); // the fixture model is about 70% accurate
  }

  @Test
  void savingAndLoadingRoundTripsWithPyTorchLayouts(@TempDir Path dir) {
    Network a = resnet();
    Path file = dir.resolve("a.safetensors");
    NetworkCheckpoint.save(a, file, SafetensorsDtype.F32, Map.of());
    assertThat(SafetensorsReader.read(file).get("layers.3.short.0.weight").shape())
        .containsExactly(32, 16, 1, 1);
    Network b = resnet(new SplittableRandom(2));
    NetworkCheckpoint.load(b, file);
    a.parameters()
        .forEach(
            (name, p) ->
                assertThat(b.parameters().get(name).value()).as(name).containsExactly(p.value()));
  }

  @Test
  void aMissingOrMisshapenTensorIsNamed(@TempDir Path dir) throws Exception {
    Map<String, NamedTensor> tensors =
        new LinkedHashMap<>(
            SafetensorsReader.read(FIXTURE.resolve("resnet20-fmnist.safetensors")).tensors());
    tensors.remove("layers.4.c2.weight");
    tensors.put("fc.weight", NamedTensor.of("fc.weight", new float[20], 2, 10));
    Path bad = dir.resolve("bad.safetensors");
    SafetensorsWriter.write(bad, tensors, SafetensorsDtype.F32);
    assertThatThrownBy(() -> NetworkCheckpoint.load(resnet(), bad))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(bad.toString())
        .hasMessageContaining("\n  missing    layers.4.c2.weight [32, 32, 3, 3]\n")
        .hasMessageContaining("\n  shape      fc.weight [2, 10], expected [10, 64]");
    Files.writeString(bad, "not a safetensors file");
    assertThatThrownBy(() -> NetworkCheckpoint.load(resnet(), bad))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(bad.toString());
  }
}
