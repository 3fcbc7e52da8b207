package org.efqat.core.nn;

import org.efqat.api.backend.Backend;
import org.efqat.api.backend.ConvGeometry;
import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;

/** Pooling over square windows of an NHWC batch; subclasses choose the backend kernels. */
abstract class WindowPool extends StatelessLayer {
  private final int kernel;
  private final int stride;
  private final int pad;
  private Activation lastInput;
  private ConvGeometry lastGeometry;

  WindowPool(Backend backend, String name, int kernel, int stride, int pad) {
    super(backend, name);
    this.kernel = kernel;
    this.stride = stride;
    this.pad = pad;
  }

  /**
   * @return the square window size
   */
  public final int kernel() {
    return kernel;
  }

  /**
   * @return the stride
   */
  public final int stride() {
    return stride;
  }

  /**
   * @return the padding on each side
   */
  public final int pad() {
    return pad;
  }

  abstract void pool(TensorOps ops, Tensor input, ConvGeometry g, Tensor out);

  abstract void poolBackward(
      TensorOps ops, Tensor input, Tensor gradOut, ConvGeometry g, Tensor gradInput);

  @Override
  public final Activation forward(Activation input, boolean training) {
    FeatureShape s = input.shape();
    ConvGeometry g = new ConvGeometry(s.n(), s.h(), s.w(), s.c(), kernel, kernel, stride, pad);
    Tensor y = cache.get("output", g.outputShape(s.c()));
    TensorOps ops = cache.backend().ops();
    pool(ops, ops.reshape(input.tensor(), s.dims()), g, y);
    lastInput = input;
    lastGeometry = g;
    return new Activation(y, new FeatureShape(s.n(), g.outH(), g.outW(), s.c()));
  }

  @Override
  public final Activation backward(Activation gradOutput) {
    TensorOps ops = cache.backend().ops();
    ConvGeometry g = lastGeometry;
    Tensor dx = cache.get("input_grad", g.inputShape());
    poolBackward(
        ops,
        ops.reshape(lastInput.tensor(), g.inputShape()),
        ops.reshape(gradOutput.tensor(), g.outputShape(g.c())),
        g,
        dx);
    return new Activation(dx, lastInput.shape());
  }
}
