package org.efqat.models.export.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds one ONNX graph: initializers (FP32, INT64 and the integer types of {@link IntType}), nodes
 * with unique value names, graph inputs and outputs, and the model around them. Every value and
 * node name is made unique by a numeric suffix when a hint repeats.
 */
final class OnnxGraphBuilder {
  /** The producer written into the model. */
  static final String PRODUCER = "efqat-java";

  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private final Map<String, Integer> used = new HashMap<>();
  private final Map<String, Integer> opCounts = new LinkedHashMap<>();

  /**
   * @param name the graph's name
   */
  OnnxGraphBuilder(String name) {
    graph.setName(name);
  }

  /**
   * @param hint a readable name, such as {@code features.0.conv.weight_scale}
   * @return {@code hint}, or {@code hint_2}, {@code hint_3}, ... when taken
   */
  String fresh(String hint) {
    int n = used.merge(hint, 1, Integer::sum);
    return n == 1 ? hint : hint + "_" + n;
  }

  /**
   * Adds a node with one output.
   *
   * @param op the operator, for example {@code Conv}
   * @param hint the name hint of the node and its output
   * @param inputs the input value names ({@code ""} for an omitted optional input)
   * @param attributes its attributes
   * @return the output value's name
   */
  String node(String op, String hint, List<String> inputs, AttributeProto... attributes) {
    String out = fresh(hint);
    NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(out + "/" + op);
    inputs.forEach(n::addInput);
    n.addOutput(out);
    for (AttributeProto a : attributes) {
      n.addAttribute(a);
    }
    graph.addNode(n);
    opCounts.merge(op, 1, Integer::sum);
    return out;
  }

  /**
   * @return how many nodes of each operator the graph has, in order of first use
   */
  Map<String, Integer> opCounts() {
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(opCounts));
  }

  /**
   * @param hint the name hint
   * @param dims the shape
   * @param data row-major values
   * @return the initializer's name
   */
  String floats(String hint, long[] dims, float[] data) {
    ByteBuffer b = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(data);
    return initializer(hint, TensorProto.DataType.FLOAT_VALUE, dims, b.array());
  }

  /**
   * @param hint the name hint
   * @param value a scalar
   * @return the initializer's name (a rank-0 FP32 tensor)
   */
  String scalar(String hint, float value) {
    return floats(hint, new long[0], new float[] {value});
  }

  /**
   * @param hint the name hint
   * @param dims the shape
   * @param data row-major values
   * @return the initializer's name
   */
  String int64s(String hint, long[] dims, long[] data) {
    ByteBuffer b = ByteBuffer.allocate(data.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(data);
    return initializer(hint, TensorProto.DataType.INT64_VALUE, dims, b.array());
  }

  /**
   * A 1-D INT64 initializer, for shapes, axes and indices.
   *
   * @param hint the name hint
   * @param values the values
   * @return the initializer's name
   */
  String int64Vector(String hint, long... values) {
    return int64s(hint, new long[] {values.length}, values);
  }

  /**
   * An integer initializer of {@code type}: one byte per value for 8 bits, two values per byte for
   * 4 bits (the element with the even index in the low nibble, as ONNX packs INT4 and UINT4).
   *
   * @param hint the name hint
   * @param type the element type
   * @param dims the shape
   * @param values row-major values, each in the type's range
   * @return the initializer's name
   */
  String integers(String hint, IntType type, long[] dims, int[] values) {
    byte[] raw;
    if (type.bits() == 8) {
      raw = new byte[values.length];
      for (int i = 0; i < values.length; i++) {
        raw[i] = (byte) type.check(values[i]);
      }
    } else {
      raw = new byte[(values.length + 1) / 2];
      for (int i = 0; i < values.length; i++) {
        int nibble = type.check(values[i]) & 0xF;
        raw[i / 2] |= (byte) (i % 2 == 0 ? nibble : nibble << 4);
      }
    }
    return initializer(hint, type.onnxType(), dims, raw);
  }

  private String initializer(String hint, int dataType, long[] dims, byte[] raw) {
    String name = fresh(hint);
    TensorProto.Builder t =
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(dataType)
            .setRawData(ByteString.copyFrom(raw));
    for (long d : dims) {
      t.addDims(d);
    }
    graph.addInitializer(t);
    return name;
  }

  /**
   * Declares a graph input.
   *
   * @param name its name
   * @param elemType its ONNX element type
   * @param dims its shape, {@code -1} for the symbolic batch dimension {@code N}
   */
  void input(String name, int elemType, long... dims) {
    used.merge(name, 1, Integer::sum);
    graph.addInput(valueInfo(name, elemType, dims));
  }

  /**
   * Declares a graph output.
   *
   * @param name a value some node outputs
   * @param elemType its ONNX element type
   * @param dims its shape, {@code -1} for the symbolic batch dimension {@code N}
   */
  void output(String name, int elemType, long... dims) {
    graph.addOutput(valueInfo(name, elemType, dims));
  }

  private static ValueInfoProto valueInfo(String name, int elemType, long[] dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long d : dims) {
      shape.addDim(
          d < 0
              ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
              : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape)))
        .build();
  }

  /**
   * @param opset the default domain's opset version
   * @param docString a description of the model
   * @return the model
   */
  ModelProto build(int opset, String docString) {
    return ModelProto.newBuilder()
        .setIrVersion(irVersion(opset))
        .setProducerName(PRODUCER)
        .setDocString(docString)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
        .setGraph(graph)
        .build();
  }

  /**
   * @param opset an opset version
   * @return the lowest IR version that allows it (INT4 needs IR 10)
   */
  static long irVersion(int opset) {
    if (opset >= 21) {
      return 10;
    }
    if (opset >= 17) {
      return 8;
    }
    return 7;
  }

  static AttributeProto attr(String name, long value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.INT)
        .setI(value)
        .build();
  }

  static AttributeProto attr(String name, float value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.FLOAT)
        .setF(value)
        .build();
  }

  static AttributeProto attrInts(String name, long... values) {
    AttributeProto.Builder a =
        AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }
}
