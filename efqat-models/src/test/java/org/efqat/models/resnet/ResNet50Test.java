package org.efqat.models.resnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.efqat.api.backend.Backend;
import org.efqat.api.spi.ComponentContext;
import org.efqat.api.spi.ConfigValueException;
import org.efqat.backend.nd4j.Nd4jBackendConfig;
import org.efqat.backend.nd4j.Nd4jBackendProvider;
import org.efqat.core.nn.Activation;
import org.efqat.core.nn.Conv2d;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.Layer;
import org.efqat.core.nn.Linear;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.ParamKind;
import org.efqat.core.nn.Parameter;
import org.efqat.core.nn.SoftmaxCrossEntropy;
import org.efqat.core.nn.WeightLayer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ResNet-50 against torchvision's {@code resnet50()}: its parameter count and names (the numbers
 * below are torchvision 0.x's, {@code sum(p.numel() for p in model.parameters())}), its weight
 * layers, and one training step on a small input.
 */
class ResNet50Test {
  /** {@code torchvision.models.resnet50()}: trainable parameters (weights, biases, γ, β). */
  private static final long TORCHVISION_PARAMETERS = 25_557_032L;

  /** BatchNorm running mean + var: 2 × 26,560 BatchNorm channels. */
  private static final long TORCHVISION_BN_RUNNING_STATS = 53_120L;

  private static Backend backend;

  @BeforeAll
  static void open() {
    backend = new Nd4jBackendProvider().create(new Nd4jBackendConfig(), ComponentContext.ofSeed(0));
  }

  @AfterAll
  static void close() {
    backend.close();
  }

  private static Network resnet50(FeatureShape input, int classes, int width, long seed) {
    return new ResNet50Provider()
        .create(new ResNet50Config(width), ComponentContext.ofSeed(0))
        .build(backend, input, classes, new SplittableRandom(seed));
  }

  @Test
  void theStandardModelHasTorchvisionsParametersAndNames() {
    // Building allocates heap arrays only; nothing runs on the backend.
    Network net = resnet50(new FeatureShape(1, 224, 224, 3), 1000, ResNet50.STANDARD_WIDTH, 1);
    assertThat(ResNet50Config.DEFAULT_WIDTH).isEqualTo(ResNet50.STANDARD_WIDTH);
    Map<String, Parameter> params = net.parameters();
    long trainable = 0;
    long buffers = 0;
    for (Parameter p : params.values()) {
      if (p.kind() == ParamKind.BUFFER) {
        buffers += p.value().length;
      } else {
        trainable += p.value().length;
      }
    }
    assertThat(trainable).isEqualTo(TORCHVISION_PARAMETERS);
    assertThat(buffers).isEqualTo(TORCHVISION_BN_RUNNING_STATS);
    // 53 convolutions and 53 BatchNorms (4 tensors each), fc weight and bias.
    assertThat(params).hasSize(53 + 53 * 4 + 2);

    assertThat(params.get("conv1.weight").shape()).containsExactly(64, 7 * 7 * 3);
    assertThat(params.get("bn1.running_var").kind()).isEqualTo(ParamKind.BUFFER);
    assertThat(params.get("layer1.0.conv1.weight").shape()).containsExactly(64, 64);
    assertThat(params.get("layer1.0.downsample.0.weight").shape()).containsExactly(256, 64);
    assertThat(params.get("layer2.0.downsample.0.weight").shape()).containsExactly(512, 256);
    assertThat(params.get("layer2.0.downsample.1.running_mean").shape()).containsExactly(512);
    assertThat(params.get("layer3.5.conv2.weight").shape()).containsExactly(256, 3 * 3 * 256);
    assertThat(params.get("layer4.2.bn3.bias").shape()).containsExactly(2048);
    assertThat(params.get("layer4.2.bn3.weight").value()).containsOnly(1f);
    assertThat(params.get("fc.weight").shape()).containsExactly(1000, 2048);
    assertThat(params.get("fc.bias").shape()).containsExactly(1000);
    // Only the first block of each stage projects its shortcut; the stem has no bias.
    assertThat(params)
        .doesNotContainKeys(
            "layer1.1.downsample.0.weight",
            "layer4.2.downsample.0.weight",
            "layer5.0.conv1.weight",
            "conv1.bias");
    assertThat(params.keySet())
        .filteredOn(n -> n.contains("downsample.0.weight"))
        .containsExactly(
            "layer1.0.downsample.0.weight",
            "layer2.0.downsample.0.weight",
            "layer3.0.downsample.0.weight",
            "layer4.0.downsample.0.weight");

    // He normal, fan-out: conv2 of layer4 has fan_out = 512·3·3, so std = sqrt(2/4608).
    float[] w = params.get("layer4.0.conv2.weight").value();
    double sq = 0;
    for (float v : w) {
      sq += (double) v * v;
    }
    double std = Math.sqrt(2.0 / 4608);
    assertThat(Math.sqrt(sq / w.length)).isCloseTo(std, Offset.offset(0.01 * std));
  }

  @Test
  void itHas53ConvolutionsAndOneLinearLayer() {
    // torchvision: 1 stem conv + 16 blocks × 3 = 49 convs in the main path (+ fc = the "50"),
    // plus 4 downsample convs: 53 convs, 54 weight layers.
    Network net = resnet50(new FeatureShape(1, 64, 64, 3), 10, 8, 2);
    List<WeightLayer> layers = net.weightLayers();
    assertThat(layers).hasSize(54);
    assertThat(layers).filteredOn(l -> l instanceof Conv2d).hasSize(53);
    assertThat(layers.get(0).name()).isEqualTo("conv1");
    assertThat(layers.get(53)).isInstanceOf(Linear.class);
    assertThat(layers.get(53).name()).isEqualTo("fc");
    assertThat(layers).filteredOn(l -> l.name().endsWith("downsample.0")).hasSize(4);
  }

  @Test
  void aTrainingStepOnASmallInputGivesLogitsAndFiniteGradients() {
    int n = 2;
    int classes = 10;
    FeatureShape input = new FeatureShape(1, 64, 64, 3);
    Network net = resnet50(input, classes, 8, 3);
    SplittableRandom data = new SplittableRandom(4);
    float[] images = new float[n * 64 * 64 * 3];
    for (int i = 0; i < images.length; i++) {
      images[i] = (float) data.nextGaussian();
    }

    // The body layer by layer: the stem halves twice, then the stages /1, /2, /2, /2.
    List<String> shapes = new ArrayList<>();
    Activation a =
        new Activation(
            backend.ops().fromArray(images, n, 64, 64, 3), new FeatureShape(n, 64, 64, 3));
    for (Layer l : net.body().layers()) {
      a = l.forward(a, false);
      if (List.of(
              "conv1", "maxpool", "layer1.2", "layer2.3", "layer3.5", "layer4.2", "avgpool", "fc")
          .contains(l.name())) {
        shapes.add(l.name() + " " + a.shape());
      }
    }
    assertThat(shapes)
        .containsExactly(
            "conv1 [2, 32, 32, 8]",
            "maxpool [2, 16, 16, 8]",
            "layer1.2 [2, 16, 16, 32]",
            "layer2.3 [2, 8, 8, 64]",
            "layer3.5 [2, 4, 4, 128]",
            "layer4.2 [2, 2, 2, 256]",
            "avgpool [2, 1, 1, 256]",
            "fc [2, 1, 1, 10]");

    net.zeroGrad();
    Activation logits = net.forward(images, n, true);
    assertThat(logits.shape()).isEqualTo(new FeatureShape(n, 1, 1, classes));
    float[] z = backend.ops().toArray(logits.tensor());
    assertThat(z).hasSize(n * classes);
    float[] g = new float[z.length];
    double[] loss = SoftmaxCrossEntropy.lossAndGradient(z, new int[] {3, 7}, n, classes, g);
    assertThat(loss[0]).isFinite();
    net.backward(new Activation(backend.ops().fromArray(g, n, classes), logits.shape()));

    int withGradient = 0;
    for (Parameter p : net.parameters().values()) {
      if (p.kind() == ParamKind.BUFFER) {
        continue;
      }
      boolean nonZero = false;
      for (float v : p.grad()) {
        assertThat(Float.isFinite(v)).as("%s gradient finite", p.name()).isTrue();
        nonZero |= v != 0;
      }
      assertThat(nonZero).as("%s has a gradient", p.name()).isTrue();
      withGradient++;
    }
    assertThat(withGradient).isEqualTo(53 + 53 * 2 + 2);
    net.release();
  }

  @Test
  void badArgumentsAreNamed() {
    assertThatThrownBy(() -> new ResNet50Config(0))
        .isInstanceOf(ConfigValueException.class)
        .hasMessage("width must be in [1, 4096] (was 0)");
    assertThatThrownBy(() -> resnet50(new FeatureShape(1, 64, 64, 3), 0, 8, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("resnet50: classes 0 and input channels 3 must be >= 1");
  }
}
