package org.efqat.core.nn;

import java.util.List;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.ConvGeometry;
import org.efqat.api.backend.Tensor;

/** Max pooling over square windows of an NHWC batch. */
public final class MaxPool2d implements Layer {
  private final String name;
  private final int kernel;
  private final int stride;
  private final int pad;
  private final TensorCache cache;
  private Activation lastInput;
  private ConvGeometry lastGeometry;

  /**
   * @param backend where it computes
   * @param name a name (no parameters)
   * @param kernel the window size
   * @param stride the stride
   * @param pad padding (padded positions never win)
   */
  public MaxPool2d(Backend backend, String name, int kernel, int stride, int pad) {
    this.name = name;
    this.kernel = kernel;
    this.stride = stride;
    this.pad = pad;
    this.cache = new TensorCache(backend);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Activation forward(Activation input, boolean training) {
    FeatureShape s = input.shape();
    ConvGeometry g = new ConvGeometry(s.n(), s.h(), s.w(), s.c(), kernel, kernel, stride, pad);
    Tensor y = cache.get("output", g.outputShape(s.c()));
    var ops = cache.backend().ops();
    ops.maxPool(ops.reshape(input.tensor(), s.dims()), g, y);
    lastInput = input;
    lastGeometry = g;
    return new Activation(y, new FeatureShape(s.n(), g.outH(), g.outW(), s.c()));
  }

  @Override
  public Activation backward(Activation gradOutput) {
    var ops = cache.backend().ops();
    ConvGeometry g = lastGeometry;
    Tensor dx = cache.get("input_grad", g.inputShape());
    ops.maxPoolBackward(ops.reshape(lastInput.tensor(), g.inputShape()),
        ops.reshape(gradOutput.tensor(), g.outputShape(g.c())), g, dx);
    return new Activation(dx, lastInput.shape());
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
