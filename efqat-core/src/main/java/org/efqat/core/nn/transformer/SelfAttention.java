package org.efqat.core.nn.transformer;

import java.util.ArrayList;
import java.util.List;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;
import org.efqat.core.nn.Activation;
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
 * The two products with {@code P} and {@code K} have no weights and stay in floating point. EfQAT's
 * sparse-row weight gradient applies to Q, K and V through their {@link WeightLayer}s. Parameters:
 * {@code <name>.query.*}, {@code <name>.key.*}, {@code <name>.value.*} (Hugging Face's names).
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
  private final TensorCache cache;
  private Tensor keyMask;
  private FeatureShape lastShape;
  private Tensor qh;
  private Tensor kh;
  private Tensor vh;
  private Tensor probs;
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
    qh = splitHeads(ops, query.forward(input, training), "q_heads");
    kh = splitHeads(ops, key.forward(input, training), "k_heads");
    vh = splitHeads(ops, value.forward(input, training), "v_heads");
    long[] perHead = {(long) b * heads, l, headDim};
    long[] scores = {b, heads, l, l};
    long[] scoresBatched = {(long) b * heads, l, l};
    probs = cache.get("probs", scores);
    ops.batchedGemm(
        ops.reshape(qh, perHead),
        false,
        ops.reshape(kh, perHead),
        true,
        ops.reshape(probs, scoresBatched),
        scale,
        0f);
    ops.maskedSoftmax(probs, ops.reshape(keyMask, b, l), probs);
    probsDropped =
        dropout.forward(new Activation(probs, new FeatureShape(b, heads, l, l)), training).tensor();
    Tensor context = cache.get("context_heads", b, heads, l, headDim);
    ops.batchedGemm(
        ops.reshape(probsDropped, scoresBatched),
        false,
        ops.reshape(vh, perHead),
        false,
        ops.reshape(context, perHead),
        1f,
        0f);
    Tensor merged = cache.get("output", b, l, heads, headDim);
    ops.swapMiddleAxes(context, merged);
    lastShape = s;
    return new Activation(ops.reshape(merged, s.dims()), s);
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
        ops.reshape(vh, perHead),
        true,
        ops.reshape(dProbs, scoresBatched),
        1f,
        0f);
    Tensor dV = cache.get("v_heads_grad", perHead);
    ops.batchedGemm(ops.reshape(probsDropped, scoresBatched), true, dContextB, false, dV, 1f, 0f);
    Tensor dProbsBeforeDropout =
        dropout.backward(new Activation(dProbs, new FeatureShape(b, heads, l, l))).tensor();
    Tensor dScores = cache.get("scores_grad", b, heads, l, l);
    ops.softmaxBackward(probs, ops.reshape(dProbsBeforeDropout, b, heads, l, l), dScores);
    Tensor dScoresB = ops.reshape(dScores, scoresBatched);
    Tensor dQ = cache.get("q_heads_grad", perHead);
    ops.batchedGemm(dScoresB, false, ops.reshape(kh, perHead), false, dQ, scale, 0f);
    Tensor dK = cache.get("k_heads_grad", perHead);
    ops.batchedGemm(dScoresB, true, ops.reshape(qh, perHead), false, dK, scale, 0f);
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
    return p;
  }

  @Override
  public List<WeightLayer> weightLayers() {
    return List.of(query, key, value);
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
    cache.release();
  }
}
