package org.efqat.models.text.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.efqat.core.checkpoint.NamedTensor;
import org.junit.jupiter.api.Test;

/**
 * all-MiniLM-L6-v2's real ONNX file: every initializer lands under its PyTorch name and shape, and
 * the config read from the graph is the published one (6 layers, hidden 384, 12 heads, FFN 1536).
 */
class MiniLmImportTest {
  @Test
  void configFromTheGraph() {
    assertThat(MiniLmOnnx.weights().config())
        .isEqualTo(new BertOnnxConfig(6, 384, 12, 1536, 30_522, 512, 2, 1e-12));
    assertThat(MiniLmOnnx.weights().checkpoint().metadata())
        .containsEntry("source", "classpath:all-minilm-l6-v2.onnx")
        .containsEntry("producer", "pytorch 2.0.1")
        .containsEntry("ir_version", "6")
        .containsEntry("opset", "11");
  }

  @Test
  void linearWeightsOfEveryLayer() {
    Map<String, NamedTensor> t = MiniLmOnnx.weights().tensors();
    for (int l = 0; l < 6; l++) {
      String p = "encoder.layer." + l + ".";
      for (String square :
          new String[] {
            "attention.self.query", "attention.self.key",
            "attention.self.value", "attention.output.dense"
          }) {
        assertThat(t.get(p + square + ".weight").shape()).as(p + square).containsExactly(384, 384);
      }
      assertThat(t.get(p + "intermediate.dense.weight").shape()).containsExactly(1536, 384);
      assertThat(t.get(p + "output.dense.weight").shape()).containsExactly(384, 1536);
    }
    assertThat(BertLinearMapping.weightNames(MiniLmOnnx.model())).hasSize(36);
  }

  @Test
  void embeddings() {
    BertOnnxWeights w = MiniLmOnnx.weights();
    assertThat(w.get("embeddings.word_embeddings.weight").shape()).containsExactly(30_522, 384);
    assertThat(w.get("embeddings.position_embeddings.weight").shape()).containsExactly(512, 384);
    assertThat(w.get("embeddings.token_type_embeddings.weight").shape()).containsExactly(2, 384);
    assertThat(w.get("embeddings.LayerNorm.weight").shape()).containsExactly(384);
  }

  @Test
  void everyInitializerIsMappedExceptThePositionIds() {
    BertOnnxWeights w = MiniLmOnnx.weights();
    Map<String, String> linear = BertLinearMapping.weightNames(MiniLmOnnx.model());
    Set<String> accounted = new HashSet<>();
    for (String name : MiniLmOnnx.model().initializerNames()) {
      String mapped = linear.getOrDefault(name, name);
      if (w.tensors().containsKey(mapped)) {
        accounted.add(mapped);
      } else {
        assertThat(w.skipped()).as(name).contains(name);
      }
    }
    assertThat(w.skipped()).containsExactly("embeddings.position_ids");
    assertThat(accounted).isEqualTo(w.tensors().keySet());
    assertThat(w.tensors().keySet())
        .containsExactlyElementsOf(w.config().stateDictShapes().keySet());
    assertThat(w.tensors()).hasSize(101);
    long parameters = w.tensors().values().stream().mapToLong(NamedTensor::numel).sum();
    assertThat(parameters).isEqualTo(22_565_888L - 512);
  }

  @Test
  void linearWeightsAreTransposedToOutIn() {
    String onnxName =
        BertLinearMapping.weightNames(MiniLmOnnx.model()).entrySet().stream()
            .filter(e -> e.getValue().equals("encoder.layer.0.intermediate.dense.weight"))
            .findFirst()
            .orElseThrow()
            .getKey();
    NamedTensor stored = MiniLmOnnx.model().floatInitializer(onnxName);
    NamedTensor mapped = MiniLmOnnx.weights().get("encoder.layer.0.intermediate.dense.weight");
    assertThat(stored.shape()).containsExactly(384, 1536);
    for (int[] io : new int[][] {{0, 0}, {1, 0}, {0, 1}, {383, 1535}, {200, 1000}}) {
      assertThat(mapped.data()[io[1] * 384 + io[0]]).isEqualTo(stored.data()[io[0] * 1536 + io[1]]);
    }
  }

  @Test
  void firstLayers() {
    BertOnnxWeights two = MiniLmOnnx.weights().firstLayers(2);
    assertThat(two.config().layers()).isEqualTo(2);
    assertThat(two.tensors()).hasSize(5 + 2 * 16);
    assertThat(two.tensors().keySet())
        .containsExactlyElementsOf(two.config().stateDictShapes().keySet());
    assertThat(two.get("encoder.layer.1.output.dense.weight"))
        .isSameAs(MiniLmOnnx.weights().get("encoder.layer.1.output.dense.weight"));
    assertThatThrownBy(() -> MiniLmOnnx.weights().firstLayers(7))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("layers to keep must be in [1, 6] (was 7)");
    assertThatThrownBy(() -> MiniLmOnnx.weights().firstLayers(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("layers to keep must be in [1, 6] (was 0)");
  }
}
