package org.efqat.models.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.efqat.api.backend.Backend;
import org.efqat.api.spi.ComponentContext;
import org.efqat.api.spi.ConfigValueException;
import org.efqat.backend.nd4j.Nd4jBackendConfig;
import org.efqat.backend.nd4j.Nd4jBackendProvider;
import org.efqat.backend.tf.TfBackendConfig;
import org.efqat.backend.tf.TfBackendProvider;
import org.efqat.core.nn.ActivationFakeQuant;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.Parameter;
import org.efqat.core.nn.WeightLayer;
import org.junit.jupiter.api.Test;

class BertEncoderTest {
  private static final int CLASSES = 5;

  /** Two sequences of 8 positions: [CLS] w w [SEP] pad... and [CLS] w w w w w [SEP] pad. */
  private static final float[] IDS = {
    101, 2054, 2003, 102, 0, 0, 0, 0, 101, 1037, 3899, 2003, 2200, 4658, 102, 0
  };

  private static Backend nd4j() {
    return new Nd4jBackendProvider().create(new Nd4jBackendConfig(), ComponentContext.ofSeed(0));
  }

  private static Backend tf() {
    return new TfBackendProvider().create(new TfBackendConfig(), ComponentContext.ofSeed(0));
  }

  private static BertConfig config(String preset, Integer layers, String pooling) {
    return new BertConfig(
        preset, null, layers, null, null, null, null, null, null, null, pooling, null);
  }

  private static Network tiny(Backend backend, String pooling, int length) {
    return new BertProvider()
        .create(config("tiny", null, pooling), ComponentContext.ofSeed(0))
        .build(backend, new FeatureShape(1, 1, length, 1), CLASSES, new SplittableRandom(7));
  }

  private static float[] logits(Network net, float[] ids, int n) {
    return net.backend().ops().toArray(net.forward(ids, n, false).tensor());
  }

  @Test
  void hasHuggingFaceNamesAndSixQuantizableLinearsPerLayer() {
    try (Backend backend = nd4j()) {
      Network net = tiny(backend, "first", 8);
      BertDimensions d = BertDimensions.TINY;
      assertThat(net.parameters().keySet())
          .contains(
              "embeddings.word_embeddings.weight",
              "embeddings.position_embeddings.weight",
              "embeddings.token_type_embeddings.weight",
              "embeddings.LayerNorm.weight",
              "encoder.layer.0.attention.self.query.weight",
              "encoder.layer.0.attention.self.key.bias",
              "encoder.layer.0.attention.output.dense.weight",
              "encoder.layer.0.attention.output.LayerNorm.bias",
              "encoder.layer.1.intermediate.dense.weight",
              "encoder.layer.1.output.dense.weight",
              "encoder.layer.1.output.LayerNorm.weight",
              "classifier.weight");
      long values = net.parameters().values().stream().mapToLong(p -> p.value().length).sum();
      assertThat(values).isEqualTo(d.parameterCount() + (long) CLASSES * d.hidden() + CLASSES);
      List<String> linears = net.weightLayers().stream().map(WeightLayer::name).toList();
      assertThat(linears).hasSize(6 * d.layers() + 1).endsWith("classifier");
      assertThat(linears.subList(0, 6))
          .containsExactly(
              "encoder.layer.0.attention.self.query",
              "encoder.layer.0.attention.self.key",
              "encoder.layer.0.attention.self.value",
              "encoder.layer.0.attention.output.dense",
              "encoder.layer.0.intermediate.dense",
              "encoder.layer.0.output.dense");
      assertThat(net.parameters().get("embeddings.word_embeddings.weight").value())
          .startsWith(new float[d.hidden()]); // the [PAD] row is zero
      net.release();
    }
  }

  @Test
  void paddingChangesNothingWithEitherPooling() {
    try (Backend backend = nd4j()) {
      for (String pooling : List.of("first", "mean")) {
        Network net = tiny(backend, pooling, 8);
        float[] reference = logits(net, IDS, 2);
        assertThat(reference).hasSize(2 * CLASSES);
        // Longer padding: 12 positions per sequence.
        Network longer = tiny(backend, pooling, 12);
        float[] padded = new float[24];
        System.arraycopy(IDS, 0, padded, 0, 8);
        System.arraycopy(IDS, 8, padded, 12, 8);
        float[] fromLonger = logits(longer, padded, 2);
        for (int i = 0; i < reference.length; i++) {
          assertThat(fromLonger[i]).as("%s logit %d", pooling, i).isCloseTo(reference[i], offset());
        }
        net.release();
        longer.release();
      }
    }
  }

  private static org.assertj.core.data.Offset<Float> offset() {
    return org.assertj.core.data.Offset.offset(1e-4f);
  }

  @Test
  void backendsAgreeOnTheLogits() {
    try (Backend a = nd4j();
        Backend b = tf()) {
      Network onNd4j = tiny(a, "mean", 8);
      Network onTf = tiny(b, "mean", 8);
      float[] x = logits(onNd4j, IDS, 2);
      float[] y = logits(onTf, IDS, 2);
      for (int i = 0; i < x.length; i++) {
        assertThat(y[i]).as("logit %d", i).isCloseTo(x[i], offset());
      }
      onNd4j.release();
      onTf.release();
    }
  }

  @Test
  void rejectsImagesAndOutOfVocabularyIds() {
    try (Backend backend = nd4j()) {
      BertEncoder arch =
          (BertEncoder)
              new BertProvider().create(config("tiny", 1, null), ComponentContext.ofSeed(0));
      assertThatThrownBy(
              () ->
                  arch.build(backend, new FeatureShape(1, 28, 28, 1), 10, new SplittableRandom(1)))
          .hasMessageContaining("expects token-id samples [1, 1, L, 1]")
          .hasMessageContaining("[1, 28, 28, 1]");
      Network net = arch.build(backend, new FeatureShape(1, 1, 4, 1), 3, new SplittableRandom(1));
      float[] bad = {101, 40000, 102, 0};
      assertThatThrownBy(() -> net.forward(bad, 1, false))
          .hasMessageContaining("sample 0 position 1 holds 40000.0")
          .hasMessageContaining("[0, 30522)");
      float[] empty = new float[4];
      assertThatThrownBy(() -> net.forward(empty, 1, false))
          .hasMessageContaining("sample 0 is all padding");
      net.release();
    }
  }

  /**
   * {@code quantizeAttention: true} gives each encoder layer four matmul-operand quantizers that
   * PTQ will find, and nothing else: before calibration the parameters (names and values) and the
   * logits are those of the default encoder, which has none.
   */
  @Test
  void quantizeAttentionAddsFourOperandQuantizersPerLayerAndNothingElse() {
    try (Backend backend = nd4j()) {
      BertConfig plain = config("tiny", null, "first");
      assertThat(plain.quantizeAttention()).isFalse();
      BertConfig quantized =
          new BertConfig(
              "tiny", null, null, null, null, null, null, null, null, null, "first", true);
      Network off = build(backend, plain);
      Network on = build(backend, quantized);
      assertThat(off.activationQuantizers()).isEmpty();
      assertThat(on.activationQuantizers())
          .extracting(ActivationFakeQuant::name)
          .hasSize(4 * BertDimensions.TINY.layers())
          .startsWith(
              "encoder.layer.0.attention.self.query_act",
              "encoder.layer.0.attention.self.key_act",
              "encoder.layer.0.attention.self.value_act",
              "encoder.layer.0.attention.self.probs_act",
              "encoder.layer.1.attention.self.query_act");
      assertThat(on.parameters().keySet()).containsExactlyElementsOf(off.parameters().keySet());
      Map<String, Parameter> onParams = on.parameters();
      off.parameters()
          .forEach(
              (k, p) ->
                  assertThat(Arrays.equals(onParams.get(k).value(), p.value())).as(k).isTrue());
      assertThat(logits(on, IDS, 2)).containsExactly(logits(off, IDS, 2));
      off.release();
      on.release();
    }
  }

  private static Network build(Backend backend, BertConfig config) {
    return new BertProvider()
        .create(config, ComponentContext.ofSeed(0))
        .build(backend, new FeatureShape(1, 1, 8, 1), CLASSES, new SplittableRandom(7));
  }

  @Test
  void validatesTheOptions() {
    assertThatThrownBy(
            () ->
                new BertConfig("tiny", null, null, 30, 4, null, null, null, null, null, null, null)
                    .dimensions())
        .isInstanceOf(ConfigValueException.class)
        .hasMessage("heads must divide hidden 30 (was 4)");
    assertThatThrownBy(
            () ->
                new BertConfig(
                    null,
                    "all-minilm-l6-v2",
                    null,
                    256,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null))
        .hasMessage("hidden is fixed by the pretrained model; remove it (was 256)");
    assertThatThrownBy(() -> config("huge", null, null))
        .hasMessage("preset must be one of tiny, all-minilm-l6-v2, bert-base (was 'huge')");
    assertThatThrownBy(() -> config("tiny", null, "max"))
        .hasMessage("pooling must be first or mean (was 'max')");
    BertConfig minilm =
        new BertConfig(
            null, "all-minilm-l6-v2", 3, null, null, null, null, null, null, null, null, null);
    assertThat(minilm.preset()).isEqualTo("all-minilm-l6-v2");
    assertThat(minilm.pooling()).isEqualTo("mean");
    assertThat(minilm.dimensions().layers()).isEqualTo(3);
    assertThat(
            Arrays.asList(
                BertDimensions.ALL_MINILM_L6_V2.hidden(),
                BertDimensions.ALL_MINILM_L6_V2.heads(),
                BertDimensions.ALL_MINILM_L6_V2.intermediate()))
        .containsExactly(384, 12, 1536);
  }
}
