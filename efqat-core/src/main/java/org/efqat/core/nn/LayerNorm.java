package org.efqat.core.nn;

import java.util.Arrays;
import java.util.List;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;

/**
 * Layer normalization over the channels of every position (Ba et al., 2016; BERT's {@code
 * LayerNorm}): {@code y = γ ⊙ (x − μ)/√(σ² + eps) + β}, with {@code μ, σ²} the mean and biased
 * variance of the position's {@code D} channels. Input and output {@code [n, h, w, D]}, read as
 * {@code [M, D]}.
 *
 * <pre>
 *   backward  dβ = Σ_m dy,  dγ = Σ_m dy ⊙ x̂,  dx = r·(g − mean(g) − x̂·mean(g ⊙ x̂)),  g = γ ⊙ dy
 * </pre>
 *
 * Parameters {@code <name>.weight} (γ, {@link ParamKind#NORM_SCALE}, ones) and {@code <name>.bias}
 * (β, {@link ParamKind#NORM_SHIFT}, zeros), as in PyTorch's {@code nn.LayerNorm}.
 */
public final class LayerNorm implements Layer {
  private final String name;
  private final int features;
  private final float eps;
  private final Parameter gamma;
  private final Parameter beta;
  private final TensorCache cache;
  private final float[] zeros;
  private Tensor normalized;
  private Tensor invStd;
  private FeatureShape lastShape;

  /**
   * @param backend where it computes
   * @param name the checkpoint prefix
   * @param features {@code D}, the channels normalized together
   * @param eps added to the variance, for example {@code 1e-12} (BERT)
   */
  public LayerNorm(Backend backend, String name, int features, float eps) {
    if (features < 1 || !(eps > 0)) {
      throw new IllegalArgumentException(
          name + ": need features >= 1 and eps > 0, got " + features + " and " + eps);
    }
    this.name = name;
    this.features = features;
    this.eps = eps;
    float[] ones = new float[features];
    Arrays.fill(ones, 1f);
    this.gamma = new Parameter(name + ".weight", ParamKind.NORM_SCALE, ones, features);
    this.beta = new Parameter(name + ".bias", ParamKind.NORM_SHIFT, new float[features], features);
    this.cache = new TensorCache(backend);
    this.zeros = new float[features];
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * @return γ
   */
  public Parameter gamma() {
    return gamma;
  }

  /**
   * @return β
   */
  public Parameter beta() {
    return beta;
  }

  /**
   * @return the variance offset
   */
  public float eps() {
    return eps;
  }

  @Override
  public Activation forward(Activation input, boolean training) {
    FeatureShape s = input.shape();
    if (s.c() != features) {
      throw new IllegalArgumentException(
          name + ": input " + s + " has " + s.c() + " channels, expected " + features);
    }
    TensorOps ops = cache.backend().ops();
    long[] m = s.matrix();
    normalized = cache.get("normalized", m);
    invStd = cache.get("inv_std", m[0]);
    ops.normalizeRows(ops.reshape(input.tensor(), m), eps, normalized, invStd);
    Tensor y = cache.get("output", m);
    ops.columnAffine(normalized, gamma.value(), beta.value(), y);
    lastShape = s;
    return new Activation(y, s);
  }

  @Override
  public Activation backward(Activation gradOutput) {
    if (lastShape == null) {
      throw new IllegalStateException(name + ": backward without a forward pass");
    }
    TensorOps ops = cache.backend().ops();
    long[] m = lastShape.matrix();
    Tensor dy = ops.reshape(gradOutput.tensor(), m);
    float[] sums = new float[features];
    ops.columnDots(dy, normalized, sums);
    accumulate(gamma.grad(), sums);
    ops.columnSums(dy, sums);
    accumulate(beta.grad(), sums);
    Tensor g = cache.get("grad_normalized", m);
    ops.columnAffine(dy, gamma.value(), zeros, g);
    Tensor dx = cache.get("input_grad", m);
    ops.normalizeRowsBackward(normalized, invStd, g, dx);
    return new Activation(dx, lastShape);
  }

  private static void accumulate(float[] acc, float[] v) {
    for (int i = 0; i < acc.length; i++) {
      acc[i] += v[i];
    }
  }

  @Override
  public List<Parameter> parameters() {
    return List.of(gamma, beta);
  }

  @Override
  public void release() {
    cache.release();
  }
}
