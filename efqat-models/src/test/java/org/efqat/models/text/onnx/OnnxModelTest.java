package org.efqat.models.text.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.efqat.core.checkpoint.CheckpointException;
import org.efqat.core.checkpoint.NamedTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading hand-made ONNX files: FP32 decoding and the one-line errors. */
class OnnxModelTest {
  @TempDir Path dir;

  @Test
  void decodesRawDataLittleEndianAndFloatData() throws Exception {
    OnnxModel m = OnnxModel.read(TinyBertOnnx.write(dir, "tiny.onnx", TinyBertOnnx.model()));

    NamedTensor word = m.floatInitializer("embeddings.word_embeddings.weight");
    assertThat(word.shape()).containsExactly(TinyBertOnnx.VOCAB, TinyBertOnnx.HIDDEN);
    assertThat(word.data()[0]).isEqualTo(0f);
    assertThat(word.data()[7]).isEqualTo(0.25f * 7);
    NamedTensor bias = m.floatInitializer("encoder.layer.0.intermediate.dense.bias");
    assertThat(bias.shape()).containsExactly(TinyBertOnnx.FFN);
    assertThat(bias.data()).containsOnly(4f);
    assertThat(m.initializerNames()).startsWith("embeddings.position_ids");
    assertThat(m.initializerType("embeddings.position_ids")).isEqualTo("INT64");
    assertThat(m.isFloatInitializer("embeddings.position_ids")).isFalse();
  }

  @Test
  void readsAStream() {
    byte[] bytes = TinyBertOnnx.model().build().toByteArray();
    OnnxModel m = OnnxModel.read("stream.onnx", new ByteArrayInputStream(bytes));
    assertThat(m.source()).isEqualTo("stream.onnx");
    assertThat(m.proto().getIrVersion()).isEqualTo(6);
  }

  @Test
  void missingFile() {
    Path file = dir.resolve("absent.onnx");
    assertThatThrownBy(() -> OnnxModel.read(file))
        .isInstanceOf(CheckpointException.class)
        .hasMessage(file + ": no such file (expected an ONNX model)");
  }

  @Test
  void missingResource() {
    assertThatThrownBy(() -> OnnxModel.readResource("no/such.onnx"))
        .isInstanceOf(CheckpointException.class)
        .hasMessage("classpath:no/such.onnx: no such resource (expected an ONNX model)");
  }

  @Test
  void textIsNotOnnx() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("notes.onnx"), "this is not a model\n", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> OnnxModel.read(file))
        .isInstanceOf(CheckpointException.class)
        .hasMessageStartingWith(file + ": not an ONNX model (expected a protobuf ModelProto")
        .hasMessageNotContaining("\n");
  }

  @Test
  void emptyFileIsNotOnnx() throws Exception {
    Path file = Files.write(dir.resolve("empty.onnx"), new byte[0]);
    assertThatThrownBy(() -> OnnxModel.read(file))
        .isInstanceOf(CheckpointException.class)
        .hasMessage(
            file
                + ": not an ONNX model (expected a protobuf ModelProto with an ir_version and a"
                + " graph, 0 bytes read)");
  }

  @Test
  void nonFloatInitializer() throws Exception {
    OnnxModel m = OnnxModel.read(TinyBertOnnx.write(dir, "tiny.onnx", TinyBertOnnx.model()));
    assertThatThrownBy(() -> m.floatInitializer("embeddings.position_ids"))
        .isInstanceOf(CheckpointException.class)
        .hasMessage(
            dir.resolve("tiny.onnx") + ": tensor embeddings.position_ids is INT64, expected FLOAT");
  }

  @Test
  void missingTensor() throws Exception {
    OnnxModel m = OnnxModel.read(TinyBertOnnx.write(dir, "tiny.onnx", TinyBertOnnx.model()));
    assertThatThrownBy(() -> m.floatInitializer("pooler.dense.weight"))
        .isInstanceOf(CheckpointException.class)
        .hasMessage(
            dir.resolve("tiny.onnx")
                + ": missing tensor pooler.dense.weight (no initializer of that name)");
  }

  @Test
  void rawDataOfTheWrongSize() throws Exception {
    ModelProto.Builder model = TinyBertOnnx.model();
    model
        .getGraphBuilder()
        .addInitializer(
            TensorProto.newBuilder()
                .setName("short")
                .setDataType(TensorProto.DataType.FLOAT.getNumber())
                .addDims(3)
                .setRawData(ByteString.copyFrom(new byte[8])));
    OnnxModel m = OnnxModel.read(TinyBertOnnx.write(dir, "short.onnx", model));
    assertThatThrownBy(() -> m.floatInitializer("short"))
        .isInstanceOf(CheckpointException.class)
        .hasMessage(
            dir.resolve("short.onnx")
                + ": tensor short with dims [3] needs 12 bytes of raw_data or 3 typed values, but"
                + " has 8 bytes of raw_data and 0 typed values");
  }

  @Test
  void externalData() throws Exception {
    ModelProto.Builder model = TinyBertOnnx.model();
    model
        .getGraphBuilder()
        .addInitializer(
            TensorProto.newBuilder()
                .setName("far")
                .setDataType(TensorProto.DataType.FLOAT.getNumber())
                .addDims(3)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL));
    OnnxModel m = OnnxModel.read(TinyBertOnnx.write(dir, "far.onnx", model));
    assertThatThrownBy(() -> m.floatInitializer("far"))
        .isInstanceOf(CheckpointException.class)
        .hasMessage(
            dir.resolve("far.onnx")
                + ": tensor far is stored in an external data file, which is not supported");
  }
}
