package org.efqat.core.nn;

import java.util.List;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.Tensor;

/** {@code y = max(x, 0)}; the backward pass masks by {@code y > 0}. */
public final class ReLU implements Layer {
  private final String name;
  private final TensorCache cache;
  private Activation lastOutput;

  /**
   * @param backend where it computes
   * @param name a name (no parameters)
   */
  public ReLU(Backend backend, String name) {
    this.name = name;
    this.cache = new TensorCache(backend);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Activation forward(Activation input, boolean training) {
    Tensor y = cache.get("output", input.shape().dims());
    cache.backend().ops().relu(cache.backend().ops().reshape(input.tensor(), input.shape().dims()), y);
    lastOutput = new Activation(y, input.shape());
    return lastOutput;
  }

  @Override
  public Activation backward(Activation gradOutput) {
    FeatureShape s = lastOutput.shape();
    Tensor dx = cache.get("input_grad", s.dims());
    var ops = cache.backend().ops();
    ops.reluBackward(lastOutput.tensor(), ops.reshape(gradOutput.tensor(), s.dims()), dx);
    return new Activation(dx, s);
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
