package org.efqat.models.text.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.nio.file.Path;
import org.efqat.core.checkpoint.CheckpointException;
import org.efqat.core.checkpoint.NamedTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The weight mapping on hand-made files ({@link TinyBertOnnx}: 2 layers, hidden 4, 2 heads, FFN 8):
 * names, transposition, config, the first-k option and the errors.
 */
class BertOnnxImporterTest {
  private static final String[] LINEARS = {
    "attention.self.query",
    "attention.self.key",
    "attention.self.value",
    "attention.output.dense",
    "intermediate.dense",
    "output.dense"
  };

  @TempDir Path dir;

  private BertOnnxWeights load(ModelProto.Builder model, BertOnnxImporter importer)
      throws Exception {
    return importer.importFrom(OnnxModel.read(TinyBertOnnx.write(dir, "tiny.onnx", model)));
  }

  private CheckpointException failure(ModelProto.Builder model, BertOnnxImporter importer)
      throws Exception {
    OnnxModel m = OnnxModel.read(TinyBertOnnx.write(dir, "tiny.onnx", model));
    try {
      importer.importFrom(m);
    } catch (CheckpointException e) {
      assertThat(e.getMessage()).startsWith(dir.resolve("tiny.onnx") + ": ").doesNotContain("\n");
      return e;
    }
    throw new AssertionError("no error");
  }

  @Test
  void namesAndTransposesTheLinearWeights() throws Exception {
    BertOnnxWeights w = load(TinyBertOnnx.model(), BertOnnxImporter.builder().build());

    for (int l = 0; l < TinyBertOnnx.LAYERS; l++) {
      for (int k = 0; k < LINEARS.length; k++) {
        NamedTensor t = w.get("encoder.layer." + l + "." + LINEARS[k] + ".weight");
        int in = (int) t.shape()[1];
        int out = (int) t.shape()[0];
        for (int o = 0; o < out; o++) {
          for (int i = 0; i < in; i++) {
            assertThat(t.data()[o * in + i]).isEqualTo(TinyBertOnnx.weight(l, k, i, o));
          }
        }
      }
    }
    assertThat(w.get("encoder.layer.1.intermediate.dense.weight").shape()).containsExactly(8, 4);
    assertThat(w.get("encoder.layer.1.output.dense.weight").shape()).containsExactly(4, 8);
    assertThat(w.skipped()).containsExactly("embeddings.position_ids");
    assertThat(w.tensors()).hasSize(5 + 16 * TinyBertOnnx.LAYERS);
    assertThat(w.tensors().keySet())
        .containsExactlyElementsOf(w.config().stateDictShapes().keySet());
    assertThat(w.checkpoint().metadata())
        .containsEntry("producer", "pytorch 2.0.1")
        .containsEntry("ir_version", "6")
        .containsEntry("opset", "11");
  }

  @Test
  void keepsExtraNamedTensorsAfterTheStateDict() throws Exception {
    ModelProto.Builder model = TinyBertOnnx.model();
    model.getGraphBuilder().addInitializer(0, TinyBertOnnx.typed("pooler.dense.bias", 3f, 4));
    BertOnnxWeights w = load(model, BertOnnxImporter.builder().build());
    assertThat(w.tensors().keySet()).startsWith("embeddings.word_embeddings.weight");
    assertThat(w.tensors().keySet()).endsWith("pooler.dense.bias");
    assertThat(w.firstLayers(1).tensors()).containsKey("pooler.dense.bias");
  }

  @Test
  void readsTheConfigFromTensorsAndGraph() throws Exception {
    BertOnnxConfig c = load(TinyBertOnnx.model(), BertOnnxImporter.builder().build()).config();
    assertThat(c).isEqualTo(new BertOnnxConfig(2, 4, 2, 8, 10, 6, 2, 1e-12));
    assertThat(c.headDim()).isEqualTo(2);
  }

  @Test
  void keepsTheFirstLayers() throws Exception {
    BertOnnxWeights one =
        load(TinyBertOnnx.model(), BertOnnxImporter.builder().optKeepLayers(1).build());
    assertThat(one.config().layers()).isEqualTo(1);
    assertThat(one.tensors()).hasSize(5 + 16);
    assertThat(one.tensors().keySet()).noneMatch(n -> n.startsWith("encoder.layer.1."));

    assertThatThrownBy(
            () -> load(TinyBertOnnx.model(), BertOnnxImporter.builder().optKeepLayers(3).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            dir.resolve("tiny.onnx") + ": cannot keep 3 layers, the file has 2 (expected 1..2)");
    assertThatThrownBy(() -> one.firstLayers(2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("layers to keep must be in [1, 1] (was 2)");
    assertThatThrownBy(() -> BertOnnxImporter.builder().optKeepLayers(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void headsMustBeGivenWhenTheGraphHidesThem() throws Exception {
    ModelProto.Builder model =
        TinyBertOnnx.withoutNodes(TinyBertOnnx.model(), n -> n.getOpType().equals("Reshape"));
    assertThat(failure(model, BertOnnxImporter.builder().build()))
        .hasMessageEndingWith(
            ": the graph does not show the number of heads (expected a Reshape of layer 0's query"
                + " to [B, L, heads, headDim]); set optHeads");
    assertThat(load(model, BertOnnxImporter.builder().optHeads(4).build()).config().heads())
        .isEqualTo(4);
  }

  @Test
  void givenHeadsMustAgreeWithTheGraph() throws Exception {
    assertThat(failure(TinyBertOnnx.model(), BertOnnxImporter.builder().optHeads(4).build()))
        .hasMessageEndingWith(": heads given as 4 but the graph says 2");
    assertThat(load(TinyBertOnnx.model(), BertOnnxImporter.builder().optHeads(2).build()).config())
        .extracting(BertOnnxConfig::heads)
        .isEqualTo(2);
  }

  @Test
  void epsilonMustBeGivenWhenTheGraphHidesIt() throws Exception {
    ModelProto.Builder model =
        TinyBertOnnx.withoutNodes(TinyBertOnnx.model(), n -> n.getOpType().equals("Sqrt"));
    assertThat(failure(model, BertOnnxImporter.builder().build()))
        .hasMessageContaining("the graph does not show the LayerNorm eps");
    assertThat(
            load(model, BertOnnxImporter.builder().optLayerNormEps(1e-5).build())
                .config()
                .layerNormEps())
        .isEqualTo(1e-5);
    assertThat(
            failure(TinyBertOnnx.model(), BertOnnxImporter.builder().optLayerNormEps(1e-5).build()))
        .hasMessageEndingWith(": LayerNorm eps given as 1.0E-5 but the graph says 1.0E-12");
  }

  @Test
  void missingTensor() throws Exception {
    ModelProto.Builder model =
        TinyBertOnnx.withoutInitializer(
            TinyBertOnnx.model(), "encoder.layer.1.output.LayerNorm.bias");
    assertThat(failure(model, BertOnnxImporter.builder().build()))
        .hasMessageEndingWith(
            ": missing tensor encoder.layer.1.output.LayerNorm.bias (expected shape [4])");
  }

  @Test
  void nonFloatParameter() throws Exception {
    ModelProto.Builder model = TinyBertOnnx.model();
    TinyBertOnnx.withoutInitializer(model, "embeddings.token_type_embeddings.weight");
    model
        .getGraphBuilder()
        .addInitializer(TinyBertOnnx.int64s("embeddings.token_type_embeddings.weight", 2, 4));
    assertThat(failure(model, BertOnnxImporter.builder().build()))
        .hasMessageEndingWith(
            ": tensor embeddings.token_type_embeddings.weight is INT64, expected FLOAT");
  }

  @Test
  void misshapenTensor() throws Exception {
    ModelProto.Builder model = TinyBertOnnx.model();
    TinyBertOnnx.withoutInitializer(model, "encoder.layer.0.attention.output.LayerNorm.weight");
    model
        .getGraphBuilder()
        .addInitializer(
            TinyBertOnnx.typed("encoder.layer.0.attention.output.LayerNorm.weight", 1f, 5));
    assertThat(failure(model, BertOnnxImporter.builder().build()))
        .hasMessageEndingWith(
            ": tensor encoder.layer.0.attention.output.LayerNorm.weight has shape [5], expected"
                + " [4]");
  }

  @Test
  void unnamedInitializerThatIsNoLinearWeight() throws Exception {
    ModelProto.Builder model = TinyBertOnnx.model();
    model.getGraphBuilder().addInitializer(TinyBertOnnx.typed("onnx::Mul_9", 2f, 4));
    assertThat(failure(model, BertOnnxImporter.builder().build()))
        .hasMessageEndingWith(
            ": FP32 initializer onnx::Mul_9 has no PyTorch name and is not a MatMul weight"
                + " followed by a bias Add");
  }

  @Test
  void matMulWithoutBias() throws Exception {
    ModelProto.Builder model =
        TinyBertOnnx.withoutNodes(TinyBertOnnx.model(), n -> n.getName().equals("/l1/2/Add"));
    assertThat(failure(model, BertOnnxImporter.builder().build()))
        .hasMessageEndingWith(
            ": MatMul /l1/2/MatMul over initializer onnx::MatMul_708 is not followed by an Add of"
                + " an initializer named <module>.bias");
  }

  @Test
  void configValidates() {
    assertThatThrownBy(() -> new BertOnnxConfig(1, 384, 5, 1536, 10, 8, 2, 1e-12))
        .hasMessage("heads (5) must divide hidden (384)");
    assertThatThrownBy(() -> new BertOnnxConfig(1, 384, 12, 1536, 10, 8, 2, 0))
        .hasMessage("layerNormEps must be > 0 and finite (was 0.0)");
  }
}
