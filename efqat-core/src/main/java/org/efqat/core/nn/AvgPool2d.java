package org.efqat.core.nn;

import java.util.List;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.ConvGeometry;
import org.efqat.api.backend.Tensor;

/**
 * Average pooling over square windows of an NHWC batch; padding counts as zeros and every window
 * divides by {@code k²} (PyTorch's {@code AvgPool2d} with {@code count_include_pad=True}).
 */
public final class AvgPool2d implements Layer {
  private final String name;
  private final int kernel;
  private final int stride;
  private final int pad;
  private final TensorCache cache;
  private ConvGeometry lastGeometry;
  private FeatureShape lastShape;

  /**
   * @param backend where it computes
   * @param name a name (no parameters)
   * @param kernel the window size
   * @param stride the stride
   * @param pad zero padding
   */
  public AvgPool2d(Backend backend, String name, int kernel, int stride, int pad) {
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
    ops.avgPool(ops.reshape(input.tensor(), s.dims()), g, y);
    lastGeometry = g;
    lastShape = s;
    return new Activation(y, new FeatureShape(s.n(), g.outH(), g.outW(), s.c()));
  }

  @Override
  public Activation backward(Activation gradOutput) {
    var ops = cache.backend().ops();
    ConvGeometry g = lastGeometry;
    Tensor dx = cache.get("input_grad", g.inputShape());
    ops.avgPoolBackward(ops.reshape(gradOutput.tensor(), g.outputShape(g.c())), g, dx);
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
