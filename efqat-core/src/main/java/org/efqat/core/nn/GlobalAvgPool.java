package org.efqat.core.nn;

import org.efqat.api.backend.Backend;
import org.efqat.api.backend.Tensor;

/** The mean over all positions: {@code [n, h, w, c] → [n, 1, 1, c]}. */
public final class GlobalAvgPool extends StatelessLayer {
  private FeatureShape lastShape;

  /**
   * @param backend where it computes
   * @param name a name (no parameters)
   */
  public GlobalAvgPool(Backend backend, String name) {
    super(backend, name);
  }

  @Override
  public Activation forward(Activation input, boolean training) {
    FeatureShape s = input.shape();
    var ops = cache.backend().ops();
    Tensor y = cache.get("output", s.n(), s.c());
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
}
