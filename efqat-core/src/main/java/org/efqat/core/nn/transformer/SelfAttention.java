package org.efqat.core.nn.transformer;

import java.util.ArrayList;
import java.util.List;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;
import org.efqat.core.nn.Activation;
import org.efqat.core.nn.ActivationFakeQuant;
import org.efqat.core.nn.Dropout;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.Layer;
import org.efqat.core.nn.Linear;
import org.efqat.core.nn.Parameter;
import org.efqat.core.nn.TensorCache;
import org.efqat.core.nn.WeightLayer;
import org.efqat.core.profile.LayerProfiler;

/**
 * Multi-head scaled dot-product self-attention with a padding mask (Vaswani et al., 2017; BERT's
 * {@code BertSelfAttention}), input and output {@code [B, 1, L, D]} with {@code H} heads of {@code
 * d = D/H}:
 *
 * <pre>
 *   Q, K, V = x·W_qᵀ + b_q, x·W_kᵀ + b_k, x·W_vᵀ + b_v      three quantizable {@link Linear} layers
 *   S = Q_h·K_hᵀ/√d   [B, H, L, L]    P = maskedSoftmax(S, keyMask)    P' = dropout(P)
 *   C_h = P'·V_h      [B, H, L, d]    → merged back to [B, 1, L, D]
 *   backward  dP' = dC_h·V_hᵀ,  dV_h = P'ᵀ·dC_h,  dS = softmax'(P, dropout'(dP'))/√d,
 *             dQ_h = dS·K_h,  dK_h = dSᵀ·Q_h,  dx = dx_q + dx_k + dx_v
 * </pre>
 *
 * The two products {@code Q·Kᵀ} and {@code P'·V} have no weights. By default they stay in floating
 * point; with {@code quantizeMatmuls} their four operands are fake-quantized per tensor like a
 * weight layer's input (DESIGN.md 1.1), each by an {@link ActivationFakeQuant} that PTQ calibrates
 * through {@link #activationQuantizers()}:
 *
 * <pre>
 *   Q̂, K̂, V̂ = q_q(Q_h), q_k(K_h), q_v(V_h)    S = Q̂·K̂ᵀ/√d    P̂ = q_p(P)    P̂' = dropout(P̂)
 *   C_h = P̂'·V̂
 *   backward  dP̂' = dC_h·V̂ᵀ,  dV̂ = P̂'ᵀ·dC_h,  dP = q_p'(dropout'(dP̂')),  dS = softmax'(P, dP)/√d,
 *             dQ̂ = dS·K̂,  dK̂ = dSᵀ·Q̂,  dV_h = q_v'(dV̂),  dQ_h = q_q'(dQ̂),  dK_h = q_k'(dK̂)
 * </pre>
 *
 * where {@code q'} is straight-through inside the clipping range and adds the LSQ/LSQ+ step and
 * zero-point gradients. Without dropout (inference, and PTQ calibration) the product's operand is
 * exactly {@code P̂}, on the quantization grid. The probabilities are quantized before dropout, not
 * after: inverted dropout scales the kept ones by {@code 1/(1 − p)}, past a range calibrated
 * without dropout, so a quantizer after it would clip every kept probability near the maximum — all
 * of them when attention is nearly uniform, which blocks the gradient to {@code Q} and {@code K}
 * entirely.
 *
 * <p>EfQAT's sparse-row weight gradient applies to Q, K and V through their {@link WeightLayer}s.
 * Parameters: {@code <name>.query.*}, {@code <name>.key.*}, {@code <name>.value.*} (Hugging Face's
 * names) and, once the matmul operands are quantized, {@code <name>.query_act.*}, {@code
 * <name>.key_act.*}, {@code <name>.value_act.*} and {@code <name>.probs_act.*} ({@code .step},
 * {@code .zero_point}).
 */
public final class SelfAttention implements Layer, TokenAware {
  private final String name;
  private final int dim;
  private final int heads;
  private final int headDim;
  private final float scale;
  private final Linear query;
  private final Linear key;
  private final Linear value;
  private final Dropout dropout;
  private final List<ActivationFakeQuant> matmulQuantizers; // query, key, value, probs; or empty
  private final TensorCache cache;
  private Tensor keyMask;
  private FeatureShape lastShape;
  private Tensor probs;
  // the matmuls' operands: Q_h, K_h, V_h quantized when quantizing, else those themselves, and
  // dropout(P), P quantized before dropout when quantizing
  private Tensor qOperand;
  private Tensor kOperand;
  private Tensor vOperand;
  private Tensor probsDropped;

  /**
   * @param backend where it computes
   * @param name the checkpoint prefix, for example {@code encoder.layer.0.attention.self}
   * @param dim {@code D}
   * @param heads {@code H}, dividing {@code D}
   * @param weights initial {@code W_q, W_k, W_v}, each {@code [D, D]}
   * @param dropoutProbability dropout on the attention probabilities
   * @param dropoutSeed the seed of that dropout
   */
  public SelfAttention(
      Backend backend,
      String name,
      int dim,
      int heads,
      List<float[]> weights,
      float dropoutProbability,
      long dropoutSeed) {
    this(backend, name, dim, heads, weights, dropoutProbability, dropoutSeed, false);
  }

  /**
   * @param backend where it computes
   * @param name the checkpoint prefix, for example {@code encoder.layer.0.attention.self}
   * @param dim {@code D}
   * @param heads {@code H}, dividing {@code D}
   * @param weights initial {@code W_q, W_k, W_v}, each {@code [D, D]}
   * @param dropoutProbability dropout on the attention probabilities
   * @param dropoutSeed the seed of that dropout
   * @param quantizeMatmuls whether PTQ also quantizes the operands {@code Q, K} of {@code Q·Kᵀ} and
   *     {@code P, V} of {@code P·V} (per tensor, the activation quantizer; {@code P} before
   *     dropout)
   */
  public SelfAttention(
      Backend backend,
      String name,
      int dim,
      int heads,
      List<float[]> weights,
      float dropoutProbability,
      long dropoutSeed,
      boolean quantizeMatmuls) {
    if (heads < 1 || dim % heads != 0) {
      throw new IllegalArgumentException(
          name + ": " + heads + " heads do not divide the hidden size " + dim);
    }
    this.name = name;
    this.dim = dim;
    this.heads = heads;
    this.headDim = dim / heads;
    this.scale = (float) (1 / Math.sqrt(headDim));
    this.query = new Linear(backend, name + ".query", dim, dim, weights.get(0));
    this.key = new Linear(backend, name + ".key", dim, dim, weights.get(1));
    this.value = new Linear(backend, name + ".value", dim, dim, weights.get(2));
    this.dropout = new Dropout(backend, name + ".dropout", dropoutProbability, dropoutSeed);
    this.matmulQuantizers =
        quantizeMatmuls
            ? List.of(
                new ActivationFakeQuant(backend, name + ".query_act"),
                new ActivationFakeQuant(backend, name + ".key_act"),
                new ActivationFakeQuant(backend, name + ".value_act"),
                new ActivationFakeQuant(backend, name + ".probs_act"))
            : List.of();
    this.cache = new TensorCache(backend);
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * @return the number of heads
   */
  public int heads() {
    return heads;
  }

  /**
   * @return {@code D}
   */
  public int dim() {
    return dim;
  }

  /**
   * @return the query projection {@code <name>.query}
   */
  public Linear query() {
    return query;
  }

  /**
   * @return the key projection {@code <name>.key}
   */
  public Linear key() {
    return key;
  }

  /**
   * @return the value projection {@code <name>.value}
   */
  public Linear value() {
    return value;
  }

  /**
   * @return the score scale {@code 1/√d} as the forward pass applies it (FP32)
   */
  public float scale() {
    return scale;
  }

  @Override
  public void setTokens(TokenBatch tokens, Tensor keyMask) {
    this.keyMask = keyMask;
  }

  @Override
  public void setTrainingStep(long step) {
    dropout.setTrainingStep(step);
  }

  @Override
  public Activation forward(Activation input, boolean training) {
    FeatureShape s = input.shape();
    if (s.h() != 1 || s.c() != dim) {
      throw new IllegalArgumentException(
          name + ": expected input [B, 1, L, " + dim + "], got " + s);
    }
    if (keyMask == null) {
      throw new IllegalStateException(name + ": no padding mask set for this batch");
    }
    TensorOps ops = cache.backend().ops();
    int b = s.n();
    int l = s.w();
    Tensor qh = splitHeads(ops, query.forward(input, training), "q_heads");
    Tensor kh = splitHeads(ops, key.forward(input, training), "k_heads");
    Tensor vh = splitHeads(ops, value.forward(input, training), "v_heads");
    FeatureShape headShape = new FeatureShape(b, heads, l, headDim);
    qOperand = operand(0, qh, headShape, training);
    kOperand = operand(1, kh, headShape, training);
    vOperand = operand(2, vh, headShape, training);
    long[] perHead = {(long) b * heads, l, headDim};
    long[] scores = {b, heads, l, l};
    long[] scoresBatched = {(long) b * heads, l, l};
    probs = cache.get("probs", scores);
    ops.batchedGemm(
        ops.reshape(qOperand, perHead),
        false,
        ops.reshape(kOperand, perHead),
        true,
        ops.reshape(probs, scoresBatched),
        scale,
        0f);
    ops.maskedSoftmax(probs, ops.reshape(keyMask, b, l), probs);
    FeatureShape scoreShape = new FeatureShape(b, heads, l, l);
    Tensor probsQuantized = operand(3, probs, scoreShape, training);
    probsDropped = dropout.forward(new Activation(probsQuantized, scoreShape), training).tensor();
    Tensor context = cache.get("context_heads", b, heads, l, headDim);
    ops.batchedGemm(
        ops.reshape(probsDropped, scoresBatched),
        false,
        ops.reshape(vOperand, perHead),
        false,
        ops.reshape(context, perHead),
        1f,
        0f);
    Tensor merged = cache.get("output", b, l, heads, headDim);
    ops.swapMiddleAxes(context, merged);
    lastShape = s;
    return new Activation(ops.reshape(merged, s.dims()), s);
  }

  /**
   * @return the fake-quantized {@code x} when quantizing the matmuls, else {@code x}
   */
  private Tensor operand(int which, Tensor x, FeatureShape shape, boolean training) {
    if (matmulQuantizers.isEmpty()) {
      return x;
    }
    return matmulQuantizers.get(which).forward(new Activation(x, shape), training).tensor();
  }

  /** Applies operand {@code which}'s quantizer backward to {@code grad} in place. */
  private void operandBackward(int which, Tensor grad) {
    if (!matmulQuantizers.isEmpty()) {
      matmulQuantizers.get(which).backward(grad);
    }
  }

  /** {@code [B, 1, L, D]} rows of a projection → {@code [B, H, L, d]}. */
  private Tensor splitHeads(TensorOps ops, Activation projected, String role) {
    FeatureShape s = projected.shape();
    Tensor out = cache.get(role, s.n(), heads, s.w(), headDim);
    ops.swapMiddleAxes(ops.reshape(projected.tensor(), s.n(), s.w(), heads, headDim), out);
    return out;
  }

  /** {@code [B, H, L, d]} → the {@code [B, 1, L, D]} gradient of a projection's output. */
  private Activation mergeHeads(TensorOps ops, Tensor perHead, String role) {
    Tensor out = cache.get(role, lastShape.n(), lastShape.w(), heads, headDim);
    ops.swapMiddleAxes(ops.reshape(perHead, lastShape.n(), heads, lastShape.w(), headDim), out);
    return new Activation(ops.reshape(out, lastShape.dims()), lastShape);
  }

  @Override
  public Activation backward(Activation gradOutput) {
    if (lastShape == null) {
      throw new IllegalStateException(name + ": backward without a forward pass");
    }
    TensorOps ops = cache.backend().ops();
    int b = lastShape.n();
    int l = lastShape.w();
    long[] perHead = {(long) b * heads, l, headDim};
    long[] scoresBatched = {(long) b * heads, l, l};
    Tensor dContext = cache.get("context_heads_grad", b, heads, l, headDim);
    ops.swapMiddleAxes(ops.reshape(gradOutput.tensor(), b, l, heads, headDim), dContext);
    Tensor dContextB = ops.reshape(dContext, perHead);
    Tensor dProbs = cache.get("probs_grad", b, heads, l, l);
    ops.batchedGemm(
        dContextB,
        false,
        ops.reshape(vOperand, perHead),
        true,
        ops.reshape(dProbs, scoresBatched),
        1f,
        0f);
    Tensor dV = cache.get("v_heads_grad", perHead);
    ops.batchedGemm(ops.reshape(probsDropped, scoresBatched), true, dContextB, false, dV, 1f, 0f);
    operandBackward(2, dV);
    Tensor dProbsBeforeDropout =
        dropout.backward(new Activation(dProbs, new FeatureShape(b, heads, l, l))).tensor();
    operandBackward(3, dProbsBeforeDropout);
    Tensor dScores = cache.get("scores_grad", b, heads, l, l);
    ops.softmaxBackward(probs, ops.reshape(dProbsBeforeDropout, b, heads, l, l), dScores);
    Tensor dScoresB = ops.reshape(dScores, scoresBatched);
    Tensor dQ = cache.get("q_heads_grad", perHead);
    ops.batchedGemm(dScoresB, false, ops.reshape(kOperand, perHead), false, dQ, scale, 0f);
    Tensor dK = cache.get("k_heads_grad", perHead);
    ops.batchedGemm(dScoresB, true, ops.reshape(qOperand, perHead), false, dK, scale, 0f);
    operandBackward(0, dQ);
    operandBackward(1, dK);
    Activation dxq = query.backward(mergeHeads(ops, dQ, "q_grad"));
    Activation dxk = key.backward(mergeHeads(ops, dK, "k_grad"));
    Activation dxv = value.backward(mergeHeads(ops, dV, "v_grad"));
    if (dxq == null) {
      return null; // the layers were told no input gradient is needed
    }
    Tensor dx = cache.get("input_grad", lastShape.dims());
    ops.add(
        ops.reshape(dxq.tensor(), lastShape.dims()),
        ops.reshape(dxk.tensor(), lastShape.dims()),
        dx);
    ops.add(dx, ops.reshape(dxv.tensor(), lastShape.dims()), dx);
    return new Activation(dx, lastShape);
  }

  @Override
  public List<Parameter> parameters() {
    List<Parameter> p = new ArrayList<>(query.parameters());
    p.addAll(key.parameters());
    p.addAll(value.parameters());
    matmulQuantizers.forEach(q -> p.addAll(q.parameters()));
    return p;
  }

  @Override
  public List<WeightLayer> weightLayers() {
    return List.of(query, key, value);
  }

  /**
   * @return the quantizers of the matmul operands {@code Q, K, V} and {@code P} (before dropout):
   *     {@code <name>.query_act}, {@code .key_act}, {@code .value_act}, {@code .probs_act}; none
   *     when the matmuls stay in floating point
   */
  @Override
  public List<ActivationFakeQuant> activationQuantizers() {
    return matmulQuantizers;
  }

  @Override
  public void setInputGradNeeded(boolean needed) {
    query.setInputGradNeeded(needed);
    key.setInputGradNeeded(needed);
    value.setInputGradNeeded(needed);
  }

  @Override
  public void setProfiler(LayerProfiler profiler) {
    query.setProfiler(profiler);
    key.setProfiler(profiler);
    value.setProfiler(profiler);
  }

  @Override
  public void release() {
    query.release();
    key.release();
    value.release();
    dropout.release();
    matmulQuantizers.forEach(ActivationFakeQuant::release);
    cache.release();
  }
}
