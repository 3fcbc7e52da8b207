package org.efqat.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.efqat.api.backend.Backend;
import org.efqat.api.spi.ComponentContext;
import org.efqat.api.spi.ConfigValueException;
import org.efqat.backend.nd4j.Nd4jBackendConfig;
import org.efqat.backend.nd4j.Nd4jBackendProvider;
import org.efqat.core.model.ModelArchitecture;
import org.efqat.core.model.ModelProvider;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.Parameter;
import org.efqat.core.registry.ComponentKind;
import org.efqat.core.registry.NamedRegistry;
import org.efqat.models.cnn.SmallCnnConfig;
import org.efqat.models.cnn.SmallCnnProvider;
import org.efqat.models.mlp.MlpConfig;
import org.efqat.models.mlp.MlpProvider;
import org.efqat.models.resnet.ResNet20Config;
import org.efqat.models.resnet.ResNet20Provider;
import org.efqat.models.resnet.ResNet50Config;
import org.efqat.models.resnet.ResNet50Provider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The model components: discovery, defaults, validation, and networks identical to the ones the
 * removed {@code ModelFactory.build(name, backend, input, 10, 8, new SplittableRandom(42))} built.
 *
 * <p>Golden numbers: computed once, before {@code ModelFactory} was removed (commit 21a9219), by a
 * throwaway test that called {@code ModelFactory.build} with the arguments above and applied {@link
 * #fingerprint} to the result. {@code sha256} covers every parameter's name, shape and float bits
 * in network order, so equal digests mean the same layers, names and initialization draws.
 */
class ModelProvidersTest {
  private static final long SEED = 42;
  private static final int WIDTH = 8;
  private static final int CLASSES = 10;

  private static Backend backend;

  @BeforeAll
  static void open() {
    backend = new Nd4jBackendProvider().create(new Nd4jBackendConfig(), ComponentContext.ofSeed(0));
  }

  @AfterAll
  static void close() {
    backend.close();
  }

  /** Name, SHA-256 over (name, shape, float bits) of every parameter, sum of values, counts. */
  record Fingerprint(String sha256, double sum, int parameters, long values) {}

  static Fingerprint fingerprint(Network net) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    double sum = 0;
    long values = 0;
    for (Parameter p : net.parameters().values()) {
      sha.update(p.name().getBytes(StandardCharsets.UTF_8));
      for (long d : p.shape()) {
        sha.update(ByteBuffer.allocate(8).putLong(d).array());
      }
      for (float v : p.value()) {
        sha.update(ByteBuffer.allocate(4).putInt(Float.floatToRawIntBits(v)).array());
        sum += v;
        values++;
      }
    }
    return new Fingerprint(
        HexFormat.of().formatHex(sha.digest()), sum, net.parameters().size(), values);
  }

  static Stream<Arguments> golden() {
    FeatureShape mnist = new FeatureShape(1, 28, 28, 1);
    return Stream.of(
        Arguments.of(
            "mlp",
            mnist,
            (Function<Integer, ModelArchitecture>)
                w -> new MlpProvider().create(new MlpConfig(w), ComponentContext.ofSeed(0)),
            new Fingerprint(
                "9cd586626d7a25526b341cfa794a07d7babfb8d0b3482cb257c82ad7b4b28ad4",
                -0.8598262694981713,
                6,
                6442)),
        Arguments.of(
            "cnn",
            mnist,
            (Function<Integer, ModelArchitecture>)
                w ->
                    new SmallCnnProvider()
                        .create(new SmallCnnConfig(w), ComponentContext.ofSeed(0)),
            new Fingerprint(
                "50a04474bae0e854738ffec05f2b08d7dae4a12876735d1f1edc0765d0ba2856",
                116.59858949349746,
                17,
                6386)),
        Arguments.of(
            "resnet20",
            mnist,
            (Function<Integer, ModelArchitecture>)
                w ->
                    new ResNet20Provider()
                        .create(new ResNet20Config(w), ComponentContext.ofSeed(0)),
            new Fingerprint(
                "69bf1540d8824c6230b5f971cc4b76d876735a13703d016ce1e327864218580f",
                792.3448368831787,
                107,
                69426)),
        Arguments.of(
            "resnet50",
            new FeatureShape(1, 64, 64, 3),
            (Function<Integer, ModelArchitecture>)
                w ->
                    new ResNet50Provider()
                        .create(new ResNet50Config(w), ComponentContext.ofSeed(0)),
            new Fingerprint(
                "f7f3fe30f0ab880192b5f4683281bcc4564a1776178fb01b9374edab5bf5c448",
                6757.212002161043,
                267,
                383362)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("golden")
  void buildsTheSameNetworkAsTheRemovedFactory(
      String name,
      FeatureShape input,
      Function<Integer, ModelArchitecture> architecture,
      Fingerprint expected)
      throws Exception {
    Network net =
        architecture.apply(WIDTH).build(backend, input, CLASSES, new SplittableRandom(SEED));
    assertThat(net.architecture()).isEqualTo(name);
    assertThat(net.body().name()).isEqualTo(name);
    assertThat(fingerprint(net)).isEqualTo(expected);
  }

  @Test
  void parameterNamesOfTheSmallModels() {
    FeatureShape input = new FeatureShape(1, 28, 28, 1);
    Network mlp =
        new MlpProvider()
            .create(new MlpConfig(WIDTH), ComponentContext.ofSeed(0))
            .build(backend, input, CLASSES, new SplittableRandom(SEED));
    assertThat(shapes(mlp))
        .containsExactly(
            "fc1.weight[8, 784]",
            "fc1.bias[8]",
            "fc2.weight[8, 8]",
            "fc2.bias[8]",
            "fc3.weight[10, 8]",
            "fc3.bias[10]");
    Network cnn =
        new SmallCnnProvider()
            .create(new SmallCnnConfig(WIDTH), ComponentContext.ofSeed(0))
            .build(backend, input, CLASSES, new SplittableRandom(SEED));
    List<String> expected = new ArrayList<>();
    int in = 1;
    for (int stage = 0; stage < 3; stage++) {
      int out = WIDTH << stage;
      String p = "features." + stage;
      expected.add(p + ".conv.weight[" + out + ", " + 9 * in + "]");
      for (String t : List.of("weight", "bias", "running_mean", "running_var")) {
        expected.add(p + ".bn." + t + "[" + out + "]");
      }
      in = out;
    }
    expected.add("fc.weight[10, 32]");
    expected.add("fc.bias[10]");
    assertThat(shapes(cnn)).containsExactlyElementsOf(expected);
  }

  private static List<String> shapes(Network net) {
    List<String> names = new ArrayList<>();
    for (Parameter p : net.parameters().values()) {
      names.add(p.name() + java.util.Arrays.toString(p.shape()));
    }
    return names;
  }

  @Test
  void everyArchitectureIsDiscoveredByName() {
    List<String> names = new ArrayList<>();
    for (ModelProvider<?> p : ServiceLoader.load(ModelProvider.class)) {
      names.add(p.name());
      assertThat(p.description()).isNotBlank();
    }
    assertThat(names).containsExactlyInAnyOrder("mlp", "cnn", "resnet20", "resnet50", "bert");
    assertThat(NamedRegistry.load(ComponentKind.MODEL, getClass().getClassLoader()).names())
        .containsExactly("bert", "cnn", "mlp", "resnet20", "resnet50");
  }

  @Test
  void widthsDefaultAsDocumented() {
    assertThat(new MlpConfig(null).width()).isEqualTo(16);
    assertThat(new SmallCnnConfig(null).width()).isEqualTo(16);
    assertThat(new ResNet20Config(null).width()).isEqualTo(16);
    assertThat(new ResNet50Config(null).width()).isEqualTo(64);
  }

  static Stream<Function<Integer, Record>> configs() {
    return Stream.of(MlpConfig::new, SmallCnnConfig::new, ResNet20Config::new, ResNet50Config::new);
  }

  @ParameterizedTest
  @MethodSource("configs")
  void aBadWidthNamesTheKey(Function<Integer, Record> config) {
    for (int width : new int[] {0, -3, 4097}) {
      assertThatThrownBy(() -> config.apply(width))
          .asInstanceOf(InstanceOfAssertFactories.type(ConfigValueException.class))
          .satisfies(
              e -> {
                assertThat(e.key()).isEqualTo("width");
                assertThat(e.problem()).isEqualTo("must be in [1, 4096] (was " + width + ")");
              });
    }
    assertThat(config.apply(4096)).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void widthScalesTheHiddenLayer(int width) {
    Network net =
        new MlpProvider()
            .create(new MlpConfig(width), ComponentContext.ofSeed(0))
            .build(backend, new FeatureShape(1, 4, 4, 2), 5, new SplittableRandom(1));
    assertThat(net.parameters().get("fc1.weight").shape()).containsExactly(width, 32);
    assertThat(net.parameters().get("fc3.weight").shape()).containsExactly(5, width);
  }
}
