package org.efqat.models.text.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * An index of an ONNX graph's values: which node produces a value, which nodes consume it, and the
 * values of constants (initializers and {@code Constant} nodes). Values are named by the strings in
 * the nodes' {@code input} and {@code output} lists. Immutable after construction.
 */
public final class OnnxGraph {
  private final String source;
  private final Map<String, NodeProto> producers = new HashMap<>();
  private final Map<String, List<NodeProto>> consumers = new HashMap<>();
  private final Map<String, TensorProto> initializers = new LinkedHashMap<>();

  /**
   * @param source the file, for messages
   * @param graph the main graph
   */
  OnnxGraph(String source, GraphProto graph) {
    this.source = source;
    for (TensorProto t : graph.getInitializerList()) {
      initializers.put(t.getName(), t);
    }
    for (NodeProto node : graph.getNodeList()) {
      for (String out : node.getOutputList()) {
        producers.put(out, node);
      }
      for (String in : node.getInputList()) {
        if (!in.isEmpty()) {
          consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(node);
        }
      }
    }
  }

  /**
   * @param value a value's name
   * @return the node that outputs it; empty for graph inputs, initializers and unknown names
   */
  public Optional<NodeProto> producer(String value) {
    return Optional.ofNullable(producers.get(value));
  }

  /**
   * @param value a value's name
   * @return the nodes that take it as an input, in graph order; empty if none
   */
  public List<NodeProto> consumers(String value) {
    return List.copyOf(consumers.getOrDefault(value, List.of()));
  }

  /**
   * @param value a value's name
   * @return the initializer of that name, if there is one
   */
  Optional<TensorProto> initializer(String value) {
    return Optional.ofNullable(initializers.get(value));
  }

  /**
   * The values of an INT64 constant: an initializer, or a {@code Constant} node's {@code value},
   * {@code value_int} or {@code value_ints} attribute.
   *
   * @param value a value's name
   * @return its values, row-major; empty if it is not an INT64 constant
   */
  public Optional<long[]> int64Constant(String value) {
    Optional<TensorProto> tensor = constantTensor(value);
    if (tensor.isPresent()) {
      return tensor.get().getDataType() == TensorProto.DataType.INT64.getNumber()
          ? Optional.of(OnnxTensors.int64s(source, tensor.get()))
          : Optional.empty();
    }
    Optional<AttributeProto> attr = constantAttribute(value);
    if (attr.isPresent() && attr.get().getName().equals("value_int")) {
      return Optional.of(new long[] {attr.get().getI()});
    }
    if (attr.isPresent() && attr.get().getName().equals("value_ints")) {
      return Optional.of(attr.get().getIntsList().stream().mapToLong(Long::longValue).toArray());
    }
    return Optional.empty();
  }

  /**
   * The value of an FP32 scalar constant (or a one-element tensor): an initializer, or a {@code
   * Constant} node's {@code value} or {@code value_float} attribute.
   *
   * @param value a value's name
   * @return the float, widened; empty if it is not a one-element FP32 constant
   */
  public OptionalDouble floatScalarConstant(String value) {
    Optional<TensorProto> tensor = constantTensor(value);
    if (tensor.isPresent()) {
      if (tensor.get().getDataType() != TensorProto.DataType.FLOAT.getNumber()) {
        return OptionalDouble.empty();
      }
      float[] data = OnnxTensors.floats(source, tensor.get(), value).data();
      return data.length == 1 ? OptionalDouble.of(data[0]) : OptionalDouble.empty();
    }
    Optional<AttributeProto> attr = constantAttribute(value);
    if (attr.isPresent() && attr.get().getName().equals("value_float")) {
      return OptionalDouble.of(attr.get().getF());
    }
    return OptionalDouble.empty();
  }

  private Optional<TensorProto> constantTensor(String value) {
    TensorProto init = initializers.get(value);
    if (init != null) {
      return Optional.of(init);
    }
    return constantAttribute(value)
        .filter(a -> a.getName().equals("value") && a.hasT())
        .map(AttributeProto::getT);
  }

  private Optional<AttributeProto> constantAttribute(String value) {
    NodeProto node = producers.get(value);
    if (node == null || !node.getOpType().equals("Constant") || node.getAttributeCount() != 1) {
      return Optional.empty();
    }
    return Optional.of(node.getAttribute(0));
  }
}
