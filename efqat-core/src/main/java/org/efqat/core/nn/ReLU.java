package org.efqat.core.nn;

import org.efqat.api.backend.Backend;
import org.efqat.api.backend.Tensor;

/** {@code y = max(x, 0)}; the backward pass masks by {@code y > 0}. */
public final class ReLU extends StatelessLayer {
  private Activation lastOutput;

  /**
   * @param backend where it computes
   * @param name a name (no parameters)
   */
  public ReLU(Backend backend, String name) {
    super(backend, name);
  }

  @Override
  public Activation forward(Activation input, boolean training) {
    var ops = cache.backend().ops();
    Tensor y = cache.get("output", input.shape().dims());
    ops.relu(ops.reshape(input.tensor(), input.shape().dims()), y);
    lastOutput = new Activation(y, input.shape());
    return lastOutput;
  }

  @Override
  public Activation backward(Activation gradOutput) {
    FeatureShape s = lastOutput.shape();
    var ops = cache.backend().ops();
    Tensor dx = cache.get("input_grad", s.dims());
    ops.reluBackward(lastOutput.tensor(), ops.reshape(gradOutput.tensor(), s.dims()), dx);
    return new Activation(dx, s);
  }
}
