package org.efqat.core.nn;

import org.efqat.api.backend.Backend;

/**
 * A 2-D convolution (groups = 1, square kernel) on NHWC inputs: {@code [n, h, w, C_in] → [n, oh,
 * ow, C_out]}. Checkpoint names: {@code <name>.weight} (PyTorch layout {@code [C_out, C_in, k,
 * k]}), {@code <name>.bias} when present.
 */
public final class Conv2d extends WeightLayer {
  /**
   * @param backend where it computes
   * @param name the checkpoint prefix
   * @param inChannels {@code C_in}
   * @param outChannels {@code C_out}
   * @param kernel the square kernel size
   * @param stride the stride
   * @param pad zero padding on each side
   * @param withBias whether it has a bias
   * @param weights initial weights {@code [C_out, k·k·C_in]} in {@code (ky, kx, c_in)} order
   */
  public Conv2d(
      Backend backend,
      String name,
      int inChannels,
      int outChannels,
      int kernel,
      int stride,
      int pad,
      boolean withBias,
      float[] weights) {
    super(backend, name, inChannels, outChannels, kernel, stride, pad, withBias, weights);
  }
}
