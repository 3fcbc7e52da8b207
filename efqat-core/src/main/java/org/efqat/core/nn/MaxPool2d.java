package org.efqat.core.nn;

import org.efqat.api.backend.Backend;
import org.efqat.api.backend.ConvGeometry;
import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;

/** Max pooling over square windows of an NHWC batch; padded positions never win. */
public final class MaxPool2d extends WindowPool {
  /**
   * @param backend where it computes
   * @param name a name (no parameters)
   * @param kernel the window size
   * @param stride the stride
   * @param pad padding (padded positions never win)
   */
  public MaxPool2d(Backend backend, String name, int kernel, int stride, int pad) {
    super(backend, name, kernel, stride, pad);
  }

  @Override
  void pool(TensorOps ops, Tensor input, ConvGeometry g, Tensor out) {
    ops.maxPool(input, g, out);
  }

  @Override
  void poolBackward(TensorOps ops, Tensor input, Tensor gradOut, ConvGeometry g, Tensor gradInput) {
    ops.maxPoolBackward(input, gradOut, g, gradInput);
  }
}
