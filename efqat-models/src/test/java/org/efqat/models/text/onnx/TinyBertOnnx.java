package org.efqat.models.text.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * Hand-made ONNX files for the tests: the initializers and the graph patterns of a PyTorch export
 * of a tiny BERT ({@code torch.onnx.export} of Hugging Face's {@code BertModel}, as in
 * all-MiniLM-L6-v2), without the rest of the graph, so the files do not run.
 *
 * <p>Each {@code nn.Linear} is an initializer {@code onnx::MatMul_<n>} of shape {@code [in, out]}
 * with element {@code [i, o]} equal to {@link #weight}, a {@code MatMul} over it, and an {@code
 * Add(bias, matmul)}; layer 0's query output is reshaped by {@code Concat(B, L, [heads],
 * [headDim])}; the embeddings' LayerNorm is decomposed with epsilon {@link #EPS}. The embedding
 * tables are stored as {@code raw_data}, the biases and LayerNorm parameters as {@code float_data}.
 */
final class TinyBertOnnx {
  static final int LAYERS = 2;
  static final int HIDDEN = 4;
  static final int HEADS = 2;
  static final int FFN = 8;
  static final int VOCAB = 10;
  static final int POSITIONS = 6;
  static final float EPS = 1e-12f;

  private static final String[] LINEARS = {
    "attention.self.query",
    "attention.self.key",
    "attention.self.value",
    "attention.output.dense",
    "intermediate.dense",
    "output.dense"
  };

  private TinyBertOnnx() {}

  /**
   * @return element {@code [i, o]} of the {@code [in, out]} MatMul initializer of linear {@code k}
   *     (index into the 6 linears of a layer) in layer {@code layer}; exact in FP32
   */
  static float weight(int layer, int k, int i, int o) {
    return layer * 1000 + k * 100 + i * 10 + o + 0.5f;
  }

  /**
   * @return the model
   */
  static ModelProto.Builder model() {
    GraphProto.Builder g = GraphProto.newBuilder().setName("torch_jit");
    g.addInitializer(int64s("embeddings.position_ids", 1, POSITIONS));
    g.addInitializer(raw("embeddings.word_embeddings.weight", 0.25f, VOCAB, HIDDEN));
    g.addInitializer(raw("embeddings.position_embeddings.weight", 0.5f, POSITIONS, HIDDEN));
    g.addInitializer(raw("embeddings.token_type_embeddings.weight", 0.75f, 2, HIDDEN));
    g.addInitializer(typed("embeddings.LayerNorm.weight", 1f, HIDDEN));
    g.addInitializer(typed("embeddings.LayerNorm.bias", 0f, HIDDEN));
    layerNorm(g, "embeddings.LayerNorm");
    int next = 700;
    for (int l = 0; l < LAYERS; l++) {
      String p = "encoder.layer." + l + ".";
      for (int k = 0; k < LINEARS.length; k++) {
        int in = k == 5 ? FFN : HIDDEN;
        int out = k == 4 ? FFN : HIDDEN;
        String w = "onnx::MatMul_" + next++;
        g.addInitializer(matMulWeight(w, l, k, in, out));
        g.addInitializer(typed(p + LINEARS[k] + ".bias", k, out));
        String x = "/l" + l + "/" + k + "/x";
        String mm = "/l" + l + "/" + k + "/MatMul_output_0";
        String add = "/l" + l + "/" + k + "/Add_output_0";
        g.addNode(node("MatMul", "/l" + l + "/" + k + "/MatMul", mm, x, w));
        g.addNode(node("Add", "/l" + l + "/" + k + "/Add", add, p + LINEARS[k] + ".bias", mm));
      }
      for (String norm : new String[] {"attention.output.LayerNorm", "output.LayerNorm"}) {
        g.addInitializer(typed(p + norm + ".weight", 1f, HIDDEN));
        g.addInitializer(typed(p + norm + ".bias", 0f, HIDDEN));
      }
    }
    // Layer 0 splits its query into heads: Reshape(q, Concat(B, L, [heads], [headDim])).
    g.addNode(constantInt64("/heads/Constant_2", HEADS));
    g.addNode(constantInt64("/heads/Constant_3", HIDDEN / HEADS));
    g.addNode(
        node(
            "Concat",
            "/heads/Concat",
            "/heads/Concat_output_0",
            "/heads/B",
            "/heads/L",
            "/heads/Constant_2_output_0",
            "/heads/Constant_3_output_0"));
    g.addNode(
        node(
            "Reshape",
            "/heads/Reshape",
            "/heads/Reshape_output_0",
            "/l0/0/Add_output_0",
            "/heads/Concat_output_0"));
    return ModelProto.newBuilder()
        .setIrVersion(6)
        .setProducerName("pytorch")
        .setProducerVersion("2.0.1")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(11))
        .setGraph(g);
  }

  /** The decomposed LayerNorm's tail: {@code Mul(Div(xc, Sqrt(Add(var, eps))), w) + b}. */
  private static void layerNorm(GraphProto.Builder g, String module) {
    String p = "/" + module + "/";
    TensorProto.Builder eps =
        TensorProto.newBuilder()
            .setDataType(TensorProto.DataType.FLOAT.getNumber())
            .addFloatData(EPS);
    g.addNode(constant(p + "Constant_1", eps));
    g.addNode(node("Add", p + "Add", p + "Add_output_0", p + "var", p + "Constant_1_output_0"));
    g.addNode(node("Sqrt", p + "Sqrt", p + "Sqrt_output_0", p + "Add_output_0"));
    g.addNode(node("Div", p + "Div", p + "Div_output_0", p + "xc", p + "Sqrt_output_0"));
    g.addNode(node("Mul", p + "Mul", p + "Mul_output_0", p + "Div_output_0", module + ".weight"));
    g.addNode(node("Add", p + "Add_1", p + "Add_1_output_0", p + "Mul_output_0", module + ".bias"));
  }

  /**
   * @param model a model
   * @param name an initializer to drop
   * @return the model without it
   */
  static ModelProto.Builder withoutInitializer(ModelProto.Builder model, String name) {
    GraphProto.Builder g = model.getGraphBuilder();
    for (int i = 0; i < g.getInitializerCount(); i++) {
      if (g.getInitializer(i).getName().equals(name)) {
        g.removeInitializer(i);
        return model;
      }
    }
    throw new IllegalArgumentException("no initializer " + name);
  }

  /**
   * @param model a model
   * @param drop the nodes to drop
   * @return the model without them
   */
  static ModelProto.Builder withoutNodes(ModelProto.Builder model, Predicate<NodeProto> drop) {
    GraphProto.Builder g = model.getGraphBuilder();
    for (int i = g.getNodeCount() - 1; i >= 0; i--) {
      if (drop.test(g.getNode(i))) {
        g.removeNode(i);
      }
    }
    return model;
  }

  /**
   * @return the written file
   */
  static Path write(Path dir, String name, ModelProto.Builder model) throws IOException {
    return Files.write(dir.resolve(name), model.build().toByteArray());
  }

  static NodeProto node(String op, String name, String output, String... inputs) {
    NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addOutput(output);
    for (String in : inputs) {
      n.addInput(in);
    }
    return n.build();
  }

  private static NodeProto constant(String name, TensorProto.Builder value) {
    return NodeProto.newBuilder()
        .setOpType("Constant")
        .setName(name)
        .addOutput(name + "_output_0")
        .addAttribute(
            AttributeProto.newBuilder()
                .setName("value")
                .setType(AttributeProto.AttributeType.TENSOR)
                .setT(value))
        .build();
  }

  private static NodeProto constantInt64(String name, long v) {
    ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
    return constant(
        name,
        TensorProto.newBuilder()
            .setDataType(TensorProto.DataType.INT64.getNumber())
            .addDims(1)
            .setRawData(ByteString.copyFrom(b.array())));
  }

  static TensorProto int64s(String name, long... dims) {
    TensorProto.Builder t =
        TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64.getNumber());
    long n = 1;
    for (long d : dims) {
      t.addDims(d);
      n *= d;
    }
    for (long i = 0; i < n; i++) {
      t.addInt64Data(i);
    }
    return t.build();
  }

  /** Little-endian {@code raw_data}, element {@code j} equal to {@code scale · j}. */
  static TensorProto raw(String name, float scale, long... dims) {
    TensorProto.Builder t =
        TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber());
    int n = 1;
    for (long d : dims) {
      t.addDims(d);
      n *= (int) d;
    }
    ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
    for (int j = 0; j < n; j++) {
      b.putFloat(scale * j);
    }
    return t.setRawData(ByteString.copyFrom(b.array())).build();
  }

  /** {@code float_data}, every element {@code value}. */
  static TensorProto typed(String name, float value, long... dims) {
    TensorProto.Builder t =
        TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber());
    int n = 1;
    for (long d : dims) {
      t.addDims(d);
      n *= (int) d;
    }
    for (int j = 0; j < n; j++) {
      t.addFloatData(value);
    }
    return t.build();
  }

  private static TensorProto matMulWeight(String name, int layer, int k, int in, int out) {
    ByteBuffer b = ByteBuffer.allocate(4 * in * out).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < in; i++) {
      for (int o = 0; o < out; o++) {
        b.putFloat(weight(layer, k, i, o));
      }
    }
    return TensorProto.newBuilder()
        .setName(name)
        .setDataType(TensorProto.DataType.FLOAT.getNumber())
        .addDims(in)
        .addDims(out)
        .setRawData(ByteString.copyFrom(b.array()))
        .build();
  }
}
