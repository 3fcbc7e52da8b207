package org.efqat.models.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.Tensor;
import org.efqat.api.spi.ComponentContext;
import org.efqat.backend.nd4j.Nd4jBackendConfig;
import org.efqat.backend.nd4j.Nd4jBackendProvider;
import org.efqat.backend.tf.TfBackendConfig;
import org.efqat.backend.tf.TfBackendProvider;
import org.efqat.core.checkpoint.NamedTensor;
import org.efqat.core.nn.Activation;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.Layer;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.transformer.TransformerEncoder;
import org.efqat.models.text.WordPieceTokenizer;
import org.efqat.models.text.onnx.MiniLmOnnx;
import org.efqat.models.text.onnx.OrtReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code bert} model with {@code pretrained: all-minilm-l6-v2} reproduces ONNX Runtime's {@code
 * last_hidden_state} of the original ONNX file on every backend: three sentences tokenized by
 * {@link WordPieceTokenizer} (24 ids, with padding), every position, all 384 channels. The Java
 * encoder runs its layers up to (not including) the pooling. Tolerance 1e-4 absolute on values of
 * magnitude up to about 10: six layers of FP32 GEMMs, softmax and LayerNorm summed in other orders
 * than ONNX Runtime's (observed maximum 8.4e-6 on nd4j and 6.7e-6 on tf); a wrong weight,
 * transposition or epsilon differs by 0.01 to 1.
 */
class PretrainedMiniLmTest {
  private static final List<String> SENTENCES =
      List.of(
          "a dog",
          "The quick brown fox jumps over the lazy dog.",
          "a person who is in charge of quantization-aware training on the JVM");
  private static final int LENGTH = 24;
  private static final int HIDDEN = 384;
  private static final double TOLERANCE = 1e-4;

  private static float[] ids;
  private static NamedTensor reference;

  @BeforeAll
  static void referenceFromOnnxRuntime() throws Exception {
    long[][] idRows = new long[SENTENCES.size()][LENGTH];
    long[][] mask = new long[SENTENCES.size()][LENGTH];
    ids = new float[SENTENCES.size() * LENGTH];
    try (WordPieceTokenizer tokenizer = WordPieceTokenizer.minilm(LENGTH)) {
      for (int b = 0; b < SENTENCES.size(); b++) {
        int[] row = tokenizer.encode(SENTENCES.get(b));
        for (int l = 0; l < LENGTH; l++) {
          idRows[b][l] = row[l];
          mask[b][l] = row[l] == WordPieceTokenizer.PAD_ID ? 0 : 1;
          ids[b * LENGTH + l] = row[l];
        }
      }
    }
    try (OrtReference ort = OrtReference.open(MiniLmOnnx.model().proto())) {
      reference = ort.lastHiddenState(idRows, mask);
    }
  }

  static Stream<Supplier<Backend>> backends() {
    return Stream.of(
        () -> new Nd4jBackendProvider().create(new Nd4jBackendConfig(), ComponentContext.ofSeed(0)),
        () -> new TfBackendProvider().create(new TfBackendConfig(), ComponentContext.ofSeed(0)));
  }

  private static Network minilm(Backend backend, Integer layers) {
    BertConfig config =
        new BertConfig(
            null, "all-minilm-l6-v2", layers, null, null, null, null, null, null, null, null, null);
    return new BertProvider()
        .create(config, ComponentContext.ofSeed(0))
        .build(backend, new FeatureShape(1, 1, LENGTH, 1), 26, new SplittableRandom(1));
  }

  @ParameterizedTest
  @MethodSource("backends")
  void reproducesOnnxRuntimesLastHiddenState(Supplier<Backend> factory) {
    try (Backend backend = factory.get()) {
      Network net = minilm(backend, null);
      TransformerEncoder full = (TransformerEncoder) net.body().layers().get(0);
      List<Layer> layers = full.layers();
      TransformerEncoder withoutPooling =
          new TransformerEncoder(
              backend, "hidden", layers.subList(0, layers.size() - 1), 30522, 512);
      int n = SENTENCES.size();
      float[] hidden;
      try (Tensor input = backend.ops().fromArray(ids, n, 1, LENGTH, 1)) {
        Activation out =
            withoutPooling.forward(new Activation(input, new FeatureShape(n, 1, LENGTH, 1)), false);
        hidden = backend.ops().toArray(out.tensor());
      }
      assertThat(hidden).hasSize(n * LENGTH * HIDDEN);
      double worst = 0;
      for (int i = 0; i < hidden.length; i++) {
        worst = Math.max(worst, Math.abs(hidden[i] - reference.data()[i]));
      }
      assertThat(worst).as("max |ours − ONNX Runtime| over [3, 24, 384]").isLessThan(TOLERANCE);
      net.release();
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void keepsTheFirstLayersOnlyWhenAsked(Supplier<Backend> factory) {
    try (Backend backend = factory.get()) {
      Network net = minilm(backend, 2);
      assertThat(net.weightLayers()).hasSize(2 * 6 + 1);
      assertThat(net.parameters()).doesNotContainKey("encoder.layer.2.output.dense.weight");
      assertThat(net.parameters().get("encoder.layer.1.output.dense.weight").value())
          .containsExactly(MiniLmOnnx.weights().get("encoder.layer.1.output.dense.weight").data());
      net.release();
      assertThatThrownBy(() -> minilm(backend, 7))
          .hasMessage("model.architecture.layers: all-minilm-l6-v2 has 6 layers (was 7)");
    }
  }
}
