package org.efqat.core.nn.transformer;

import java.util.List;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;
import org.efqat.core.nn.Activation;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.Layer;
import org.efqat.core.nn.Parameter;
import org.efqat.core.nn.TensorCache;

/**
 * Pools a sequence {@code [B, 1, L, D]} into one vector per sequence {@code [B, 1, 1, D]}: the
 * first token ({@code [CLS]}, BERT's classification input) or the mean over the tokens that are not
 * padding (sentence-transformers' pooling for all-MiniLM-L6-v2). Both are a weighted sum {@code
 * y[b] = Σ_l w[b, l]·x[b, l]} computed as a batched product {@code [B, 1, L]·[B, L, D]}; the
 * backward pass is {@code dx[b, l] = w[b, l]·dy[b]}.
 */
public final class TokenPooling implements Layer, TokenAware {
  /** How a sequence becomes one vector. */
  public enum Mode {
    /** The first position. */
    FIRST,
    /** The mean over non-padding positions. */
    MEAN
  }

  private final String name;
  private final Mode mode;
  private final TensorCache cache;
  private TokenBatch tokens;
  private Tensor weights;
  private FeatureShape lastShape;

  /**
   * @param backend where it computes
   * @param name a name (no parameters)
   * @param mode first token or mean
   */
  public TokenPooling(Backend backend, String name, Mode mode) {
    this.name = name;
    this.mode = mode;
    this.cache = new TensorCache(backend);
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * @return the pooling mode
   */
  public Mode mode() {
    return mode;
  }

  @Override
  public void setTokens(TokenBatch tokens, Tensor keyMask) {
    this.tokens = tokens;
  }

  @Override
  public Activation forward(Activation input, boolean training) {
    FeatureShape s = input.shape();
    if (tokens == null || tokens.batch() != s.n() || tokens.length() != s.w() || s.h() != 1) {
      throw new IllegalStateException(name + ": no token batch for input " + s);
    }
    TensorOps ops = cache.backend().ops();
    int b = s.n();
    int l = s.w();
    float[] w = new float[b * l];
    for (int i = 0; i < b; i++) {
      if (mode == Mode.FIRST) {
        w[i * l] = 1f;
      } else {
        float share = 1f / tokens.tokens()[i];
        for (int j = 0; j < l; j++) {
          w[i * l + j] = tokens.keyMask()[i * l + j] * share;
        }
      }
    }
    weights = cache.get("weights", b, 1, l);
    ops.copyFrom(w, weights);
    Tensor y = cache.get("output", b, 1, s.c());
    ops.batchedGemm(weights, false, ops.reshape(input.tensor(), b, l, s.c()), false, y, 1f, 0f);
    lastShape = s;
    return new Activation(y, new FeatureShape(b, 1, 1, s.c()));
  }

  @Override
  public Activation backward(Activation gradOutput) {
    TensorOps ops = cache.backend().ops();
    int b = lastShape.n();
    int c = lastShape.c();
    Tensor dx = cache.get("input_grad", b, lastShape.w(), c);
    ops.batchedGemm(weights, true, ops.reshape(gradOutput.tensor(), b, 1, c), false, dx, 1f, 0f);
    return new Activation(ops.reshape(dx, lastShape.dims()), lastShape);
  }

  @Override
  public List<Parameter> parameters() {
    return List.of();
  }

  @Override
  public void release() {
    cache.release();
  }
}
