package org.efqat.core.nn;

import java.util.List;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.Tensor;

/** The mean over all positions: {@code [n, h, w, c] → [n, 1, 1, c]}. */
public final class GlobalAvgPool implements Layer {
  private final String name;
  private final TensorCache cache;
  private FeatureShape lastShape;

  /**
   * @param backend where it computes
   * @param name a name (no parameters)
   */
  public GlobalAvgPool(Backend backend, String name) {
    this.name = name;
    this.cache = new TensorCache(backend);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Activation forward(Activation input, boolean training) {
    FeatureShape s = input.shape();
    Tensor y = cache.get("output", s.n(), s.c());
    var ops = cache.backend().ops();
    ops.globalAvgPool(ops.reshape(input.tensor(), s.dims()), y);
    lastShape = s;
    return new Activation(y, new FeatureShape(s.n(), 1, 1, s.c()));
  }

  @Override
  public Activation backward(Activation gradOutput) {
    var ops = cache.backend().ops();
    Tensor dx = cache.get("input_grad", lastShape.dims());
    ops.globalAvgPoolBackward(ops.reshape(gradOutput.tensor(), lastShape.n(), lastShape.c()), dx);
    return new Activation(dx, lastShape);
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
