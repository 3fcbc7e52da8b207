package org.efqat.models.text.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.efqat.core.checkpoint.CheckpointException;

/**
 * Names the unnamed {@code nn.Linear} weights of a PyTorch ONNX export. {@code torch.onnx.export}
 * turns {@code y = x W^T + b} into {@code MatMul(x, W')} followed by {@code Add(b, ·)} (the two Add
 * inputs in either order), where {@code W'} is {@code W} transposed to {@code [in, out]} and stored
 * as an initializer named {@code onnx::MatMul_<n>}, while {@code b} keeps its PyTorch name {@code
 * <module>.bias}. So a MatMul whose second input is an initializer, consumed by an Add whose other
 * input is an initializer {@code <module>.bias}, gives that initializer the name {@code
 * <module>.weight}.
 */
final class BertLinearMapping {
  private static final String BIAS = ".bias";

  private BertLinearMapping() {}

  /**
   * @param model a parsed model
   * @return initializer name to PyTorch weight name, for example {@code onnx::MatMul_787 ->
   *     encoder.layer.0.attention.self.query.weight}, in graph order
   * @throws CheckpointException if a MatMul over an initializer has no bias Add, or two
   *     initializers get the same name, or one initializer gets two names
   */
  static Map<String, String> weightNames(OnnxModel model) {
    OnnxGraph g = model.graph();
    Map<String, String> names = new LinkedHashMap<>();
    Map<String, String> byTarget = new HashMap<>();
    for (NodeProto node : model.proto().getGraph().getNodeList()) {
      if (!node.getOpType().equals("MatMul")
          || node.getInputCount() != 2
          || g.initializer(node.getInput(1)).isEmpty()) {
        continue;
      }
      String weight = node.getInput(1);
      String bias =
          biasOf(g, node.getOutput(0))
              .orElseThrow(
                  () ->
                      new CheckpointException(
                          model.source()
                              + ": MatMul "
                              + node.getName()
                              + " over initializer "
                              + weight
                              + " is not followed by an Add of an initializer named <module>"
                              + BIAS));
      String target = bias.substring(0, bias.length() - BIAS.length()) + ".weight";
      String previous = names.put(weight, target);
      if (previous != null && !previous.equals(target)) {
        throw new CheckpointException(
            model.source()
                + ": initializer "
                + weight
                + " is the weight of both "
                + previous
                + " and "
                + target);
      }
      String other = byTarget.put(target, weight);
      if (other != null && !other.equals(weight)) {
        throw new CheckpointException(
            model.source()
                + ": initializers "
                + other
                + " and "
                + weight
                + " are both followed by "
                + bias);
      }
    }
    return names;
  }

  private static Optional<String> biasOf(OnnxGraph g, String matMulOutput) {
    for (NodeProto add : g.consumers(matMulOutput)) {
      if (!add.getOpType().equals("Add") || add.getInputCount() != 2) {
        continue;
      }
      String other = add.getInput(0).equals(matMulOutput) ? add.getInput(1) : add.getInput(0);
      if (other.endsWith(BIAS) && g.initializer(other).isPresent()) {
        return Optional.of(other);
      }
    }
    return Optional.empty();
  }
}
