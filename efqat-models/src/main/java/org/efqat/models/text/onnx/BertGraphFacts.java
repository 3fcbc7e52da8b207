package org.efqat.models.text.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import org.efqat.core.checkpoint.CheckpointException;

/**
 * Hyper-parameters of a BERT encoder that only its ONNX graph shows, not its tensors: the number of
 * attention heads and the LayerNorm epsilon. Both are looked for in the patterns that {@code
 * torch.onnx.export} writes for Hugging Face's {@code BertModel}; when a pattern is absent the
 * value is empty and the caller must supply it.
 */
final class BertGraphFacts {
  /** ONNX's default {@code LayerNormalization.epsilon}. */
  private static final float ONNX_LAYER_NORM_EPS = 1e-5f;

  private BertGraphFacts() {}

  /**
   * The heads from the Reshape that splits layer 0's query into heads: {@code Reshape(q, [B, L,
   * heads, headDim])}, the shape either a constant or a {@code Concat} of constants for the last
   * two entries (as in MiniLM: {@code Concat(B, L, [12], [32])}). Accepted when {@code heads ·
   * headDim = hidden} (or {@code headDim} is -1 and {@code heads} divides {@code hidden}).
   *
   * @param g the graph
   * @param hidden the model width
   * @return the heads; empty if the graph does not show them
   */
  static OptionalInt heads(OnnxGraph g, int hidden) {
    for (NodeProto add : g.consumers("encoder.layer.0.attention.self.query.bias")) {
      if (!add.getOpType().equals("Add") || add.getOutputCount() != 1) {
        continue;
      }
      String q = add.getOutput(0);
      for (NodeProto reshape : g.consumers(q)) {
        if (reshape.getOpType().equals("Reshape")
            && reshape.getInputCount() == 2
            && reshape.getInput(0).equals(q)) {
          OptionalInt h = headsOfShape(g, reshape.getInput(1), hidden);
          if (h.isPresent()) {
            return h;
          }
        }
      }
    }
    return OptionalInt.empty();
  }

  private static OptionalInt headsOfShape(OnnxGraph g, String shape, int hidden) {
    long heads;
    long headDim;
    Optional<long[]> constant = g.int64Constant(shape);
    if (constant.isPresent() && constant.get().length == 4) {
      heads = constant.get()[2];
      headDim = constant.get()[3];
    } else {
      Optional<NodeProto> concat = g.producer(shape).filter(n -> n.getOpType().equals("Concat"));
      if (concat.isEmpty() || concat.get().getInputCount() != 4) {
        return OptionalInt.empty();
      }
      Optional<long[]> h = g.int64Constant(concat.get().getInput(2));
      Optional<long[]> d = g.int64Constant(concat.get().getInput(3));
      if (h.isEmpty() || d.isEmpty() || h.get().length != 1 || d.get().length != 1) {
        return OptionalInt.empty();
      }
      heads = h.get()[0];
      headDim = d.get()[0];
    }
    boolean consistent =
        heads > 0
            && heads <= hidden
            && (headDim == -1 ? hidden % heads == 0 : heads * headDim == hidden);
    return consistent ? OptionalInt.of((int) heads) : OptionalInt.empty();
  }

  /**
   * The epsilon of every LayerNorm whose {@code *.LayerNorm.weight} the graph uses, either a fused
   * {@code LayerNormalization} node (its {@code epsilon}) or the decomposed form {@code Mul(Div(x -
   * mean, Sqrt(Add(var, eps))), weight)} that opsets below 17 get.
   *
   * @param model the model, for messages
   * @param weights the names of the LayerNorm weight tensors
   * @return the common epsilon, widened through its decimal form; empty if no LayerNorm shows one
   * @throws CheckpointException if two LayerNorms have different epsilons
   */
  static OptionalDouble layerNormEps(OnnxModel model, Iterable<String> weights) {
    Set<Float> found = new TreeSet<>();
    for (String weight : weights) {
      for (NodeProto n : model.graph().consumers(weight)) {
        epsOf(model.graph(), n, weight).ifPresent(e -> found.add((float) e));
      }
    }
    if (found.size() > 1) {
      throw new CheckpointException(
          model.source() + ": the LayerNorms have different epsilons " + found);
    }
    return found.isEmpty()
        ? OptionalDouble.empty()
        : OptionalDouble.of(Double.parseDouble(Float.toString(found.iterator().next())));
  }

  private static OptionalDouble epsOf(OnnxGraph g, NodeProto n, String weight) {
    if (n.getOpType().equals("LayerNormalization")) {
      for (AttributeProto a : n.getAttributeList()) {
        if (a.getName().equals("epsilon")) {
          return OptionalDouble.of(a.getF());
        }
      }
      return OptionalDouble.of(ONNX_LAYER_NORM_EPS);
    }
    if (!n.getOpType().equals("Mul") || n.getInputCount() != 2) {
      return OptionalDouble.empty();
    }
    String normalized = n.getInput(0).equals(weight) ? n.getInput(1) : n.getInput(0);
    Optional<NodeProto> sqrt =
        g.producer(normalized)
            .filter(d -> d.getOpType().equals("Div") && d.getInputCount() == 2)
            .flatMap(d -> g.producer(d.getInput(1)))
            .filter(s -> s.getOpType().equals("Sqrt"));
    Optional<NodeProto> add =
        sqrt.flatMap(s -> g.producer(s.getInput(0)))
            .filter(a -> a.getOpType().equals("Add") && a.getInputCount() == 2);
    if (add.isEmpty()) {
      return OptionalDouble.empty();
    }
    OptionalDouble eps = g.floatScalarConstant(add.get().getInput(1));
    return eps.isPresent() ? eps : g.floatScalarConstant(add.get().getInput(0));
  }
}
