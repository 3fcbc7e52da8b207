package org.efqat.models.export.onnx;

import static org.efqat.models.export.onnx.OnnxGraphBuilder.attr;
import static org.efqat.models.export.onnx.OnnxGraphBuilder.attrInts;

import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.List;
import org.efqat.core.nn.ActivationFakeQuant;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.Layer;
import org.efqat.core.nn.Parameter;
import org.efqat.core.nn.transformer.BertEmbeddings;
import org.efqat.core.nn.transformer.PostNormResidual;
import org.efqat.core.nn.transformer.SelfAttention;
import org.efqat.core.nn.transformer.TokenPooling;
import org.efqat.core.nn.transformer.TransformerEncoder;
import org.efqat.models.export.onnx.Value.Layout;

/**
 * Writes a BERT-style {@link TransformerEncoder}: token ids {@code [N, L]} (INT64) in, the pooled
 * vector {@code [N, D]} out; the hidden states are rows {@code [N·L, D]} in between. The padding
 * mask ({@code id == 0}) is computed once from the ids: an additive bias {@code Where(ids == 0, −∞,
 * 0)} {@code [N, 1, 1, L]} on the attention scores (exactly our masked softmax's zeros, since
 * {@code exp(−∞) = 0} and every sequence has a token), and the weights of mean pooling.
 */
final class EncoderEmitter {
  private final OnnxGraphBuilder b;
  private final QdqEmitter qdq;
  private final LayerEmitter layers;
  private String ids; // INT64 [N, L] while inside an encoder
  private int length;
  private String maskBias;
  private String tokenMask;
  private String padding;

  EncoderEmitter(OnnxGraphBuilder b, QdqEmitter qdq, LayerEmitter layers) {
    this.b = b;
    this.qdq = qdq;
    this.layers = layers;
  }

  /**
   * @param e the encoder
   * @param in the token ids
   * @return the pooled vector, rows {@code [N, D]}
   */
  Value encoder(TransformerEncoder e, Value in) {
    if (in.layout() != Layout.TOKEN_IDS) {
      throw OnnxExportException.layer(
          e.name(), e.getClass(), "expects token ids as the network's input");
    }
    ids = in.name();
    length = in.shape().w();
    maskBias = null;
    tokenMask = null;
    padding = null;
    try {
      Value v = in;
      for (Layer l : e.layers()) {
        v = layers.emit(l, v);
      }
      return v;
    } finally {
      ids = null;
    }
  }

  /**
   * @param l an encoder layer (embeddings, post-norm residual block, attention, pooling)
   * @param in its input
   * @return its output
   */
  Value part(Layer l, Value in) {
    if (ids == null) {
      throw OnnxExportException.layer(
          l.name(), l.getClass(), "is only exported inside a TransformerEncoder");
    }
    if (l instanceof BertEmbeddings e) {
      return embeddings(e, in);
    }
    if (l instanceof PostNormResidual r) {
      Value f = layers.emit(r.inner(), in);
      String sum = b.node("Add", r.name() + ".add", List.of(in.name(), layers.toRows(f).name()));
      return layers.layerNorm(r.norm(), new Value(sum, Layout.ROWS, in.shape()));
    }
    if (l instanceof SelfAttention a) {
      return attention(a, layers.toRows(in));
    }
    if (l instanceof TokenPooling p) {
      return pooling(p, layers.toRows(in));
    }
    throw OnnxExportException.layer(l.name(), l.getClass(), "has no ONNX form");
  }

  /** {@code word[ids] + position[0..L) + tokenType[0]}, then rows {@code [N·L, D]}. */
  private Value embeddings(BertEmbeddings e, Value in) {
    if (in.layout() != Layout.TOKEN_IDS) {
      throw OnnxExportException.layer(e.name(), e.getClass(), "expects token ids");
    }
    Parameter words = e.wordEmbeddings();
    Parameter positions = e.positionEmbeddings();
    Parameter types = e.tokenTypeEmbeddings();
    int d = (int) words.shape()[1];
    String w = b.floats(words.name(), words.shape(), words.value());
    String p = b.floats(positions.name(), positions.shape(), positions.value());
    String t = b.floats(types.name(), types.shape(), types.value());
    long[] positionIds = new long[length];
    java.util.Arrays.setAll(positionIds, i -> i);
    String gathered = b.node("Gather", e.name() + ".words", List.of(w, ids));
    String pos =
        b.node(
            "Gather",
            e.name() + ".positions",
            List.of(p, b.int64Vector(e.name() + ".position_ids", positionIds)));
    String type =
        b.node(
            "Gather",
            e.name() + ".token_type",
            List.of(t, b.int64s(e.name() + ".token_type_id", new long[0], new long[] {0})));
    String sum = b.node("Add", e.name() + ".add_positions", List.of(gathered, pos));
    sum = b.node("Add", e.name() + ".add_token_type", List.of(sum, type));
    String rows = layers.reshape(e.name(), sum, -1, d);
    return new Value(rows, Layout.ROWS, new FeatureShape(in.shape().n(), 1, length, d));
  }

  /**
   * Multi-head self-attention: the three projections (Gemm), heads split as {@code [N, H, L, d]},
   * {@code MatMul(Q, Kᵀ)·(1/√d) + maskBias}, {@code Softmax}, {@code MatMul(P, V)}, heads merged;
   * QDQ on {@code Q, K, V, P} when the matmuls are quantized.
   */
  private Value attention(SelfAttention a, Value x) {
    int h = a.heads();
    int d = a.dim() / h;
    List<ActivationFakeQuant> quantizers = a.activationQuantizers();
    String q = heads(a.name() + ".query_heads", layers.linear(a.query(), x), h, d, 0, 2, 1, 3);
    String k = heads(a.name() + ".key_heads_t", layers.linear(a.key(), x), h, d, 0, 2, 3, 1);
    String v = heads(a.name() + ".value_heads", layers.linear(a.value(), x), h, d, 0, 2, 1, 3);
    q = operand(a, quantizers, 0, q);
    k = operand(a, quantizers, 1, k);
    v = operand(a, quantizers, 2, v);
    String scores = b.node("MatMul", a.name() + ".scores", List.of(q, k));
    scores =
        b.node(
            "Mul",
            a.name() + ".scores_scaled",
            List.of(scores, b.scalar(a.name() + ".scale", a.scale())));
    scores = b.node("Add", a.name() + ".scores_masked", List.of(scores, maskBias()));
    String probs = b.node("Softmax", a.name() + ".probs", List.of(scores), attr("axis", -1L));
    probs = operand(a, quantizers, 3, probs);
    String context = b.node("MatMul", a.name() + ".context_heads", List.of(probs, v));
    String merged =
        b.node("Transpose", a.name() + ".context", List.of(context), attrInts("perm", 0, 2, 1, 3));
    String rows = layers.reshape(a.name() + ".output", merged, -1, a.dim());
    return new Value(rows, Layout.ROWS, x.shape());
  }

  /** A projection's rows {@code [N·L, D]} → {@code [N, L, H, d]} → transposed by {@code perm}. */
  private String heads(String hint, Value projected, int h, int d, long... perm) {
    String split = layers.reshape(hint + "_split", projected.name(), -1, length, h, d);
    return b.node("Transpose", hint, List.of(split), attrInts("perm", perm));
  }

  private String operand(SelfAttention a, List<ActivationFakeQuant> qs, int which, String x) {
    if (qs.isEmpty() || !qs.get(which).isQuantized()) {
      return x;
    }
    return qdq.activation(x, ActivationQuantization.of(qs.get(which), a.getClass()));
  }

  /** {@code Where(ids == 0, −∞, 0)} as {@code [N, 1, 1, L]}, built once per encoder. */
  private String maskBias() {
    if (maskBias == null) {
      String bias =
          b.node(
              "Where",
              "attention_mask_bias_rows",
              List.of(
                  padding(),
                  b.scalar("attention_mask_minus_inf", Float.NEGATIVE_INFINITY),
                  b.scalar("attention_mask_zero", 0f)));
      maskBias = layers.reshape("attention_mask_bias", bias, -1, 1, 1, length);
    }
    return maskBias;
  }

  /** {@code ids == 0}, BOOL {@code [N, L]}. */
  private String padding() {
    if (padding == null) {
      padding =
          b.node(
              "Equal",
              "padding",
              List.of(ids, b.int64s("padding_id", new long[0], new long[] {0})));
    }
    return padding;
  }

  /** FIRST: row 0 of each sequence; MEAN: {@code (mask/Σmask)·x} over the positions. */
  private Value pooling(TokenPooling p, Value rows) {
    int d = rows.shape().c();
    int n = rows.shape().n();
    String seq = layers.reshape(p.name() + "_sequences", rows.name(), -1, length, d);
    String y;
    if (p.mode() == TokenPooling.Mode.FIRST) {
      y =
          b.node(
              "Gather",
              p.name(),
              List.of(seq, b.int64s(p.name() + "_first", new long[0], new long[] {0})),
              attr("axis", 1L));
    } else {
      String mask = tokenMask();
      String count =
          b.node(
              "ReduceSum",
              p.name() + "_tokens",
              List.of(mask, b.int64Vector(p.name() + "_axes", 1)),
              attr("keepdims", 1L));
      String share =
          b.node("Div", p.name() + "_share", List.of(b.scalar(p.name() + "_one", 1f), count));
      String weights = b.node("Mul", p.name() + "_weights", List.of(mask, share));
      String w3 = layers.reshape(p.name() + "_weights_row", weights, -1, 1, length);
      String pooled = b.node("MatMul", p.name() + "_sum", List.of(w3, seq));
      y = layers.reshape(p.name(), pooled, -1, d);
    }
    return new Value(y, Layout.ROWS, new FeatureShape(n, 1, 1, d));
  }

  /** {@code ids != 0} as FP32 {@code [N, L]}. */
  private String tokenMask() {
    if (tokenMask == null) {
      String isToken = b.node("Not", "is_token", List.of(padding()));
      tokenMask =
          b.node(
              "Cast",
              "token_mask",
              List.of(isToken),
              attr("to", (long) TensorProto.DataType.FLOAT_VALUE));
    }
    return tokenMask;
  }
}
