package org.efqat.core.nn;

import org.efqat.api.backend.Backend;
import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;

/**
 * The exact GELU of BERT, {@code y = x·Φ(x) = x/2·(1 + erf(x/√2))} (Hendrycks and Gimpel, 2016),
 * not the tanh approximation; the backward pass is {@code dx = dy·(Φ(x) + x·φ(x))}. Any shape.
 */
public final class Gelu extends StatelessLayer {
  private Activation lastInput;

  /**
   * @param backend where it computes
   * @param name a name (no parameters)
   */
  public Gelu(Backend backend, String name) {
    super(backend, name);
  }

  @Override
  public Activation forward(Activation input, boolean training) {
    TensorOps ops = cache.backend().ops();
    long[] dims = input.shape().dims();
    Tensor y = cache.get("output", dims);
    ops.gelu(ops.reshape(input.tensor(), dims), y);
    lastInput = input;
    return new Activation(y, input.shape());
  }

  @Override
  public Activation backward(Activation gradOutput) {
    if (lastInput == null) {
      throw new IllegalStateException(name() + ": backward without a forward pass");
    }
    TensorOps ops = cache.backend().ops();
    FeatureShape s = lastInput.shape();
    Tensor dx = cache.get("input_grad", s.dims());
    ops.geluBackward(
        ops.reshape(lastInput.tensor(), s.dims()), ops.reshape(gradOutput.tensor(), s.dims()), dx);
    return new Activation(dx, s);
  }
}
