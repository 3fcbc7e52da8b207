package org.efqat.core.nn;

import org.efqat.api.backend.Backend;
import org.efqat.api.backend.ConvGeometry;
import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;

/**
 * Average pooling over square windows of an NHWC batch; padding counts as zeros and every window
 * divides by {@code k²} (PyTorch's {@code AvgPool2d} with {@code count_include_pad=True}).
 */
public final class AvgPool2d extends WindowPool {
  /**
   * @param backend where it computes
   * @param name a name (no parameters)
   * @param kernel the window size
   * @param stride the stride
   * @param pad zero padding
   */
  public AvgPool2d(Backend backend, String name, int kernel, int stride, int pad) {
    super(backend, name, kernel, stride, pad);
  }

  @Override
  void pool(TensorOps ops, Tensor input, ConvGeometry g, Tensor out) {
    ops.avgPool(input, g, out);
  }

  @Override
  void poolBackward(TensorOps ops, Tensor input, Tensor gradOut, ConvGeometry g, Tensor gradInput) {
    ops.avgPoolBackward(gradOut, g, gradInput);
  }
}
