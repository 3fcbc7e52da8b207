package org.efqat.backend.tf;

import java.util.List;
import org.efqat.api.backend.ConvGeometry;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Direct NHWC convolution with TensorFlow's {@code Conv2D}, {@code Conv2DBackpropInput} and {@code
 * Conv2DBackpropFilter} (oneDNN kernels on the CPU build; no im2col rows in memory). Weights arrive
 * in this project's layout {@code [C_out, kh·kw·c]}, rows in {@code (ky, kx, c)} order, which is
 * TensorFlow's {@code [kh, kw, c, C_out]} filter transposed and flattened.
 *
 * <p>Padding: {@link ConvGeometry} pads {@code pad} zeros on every side (PyTorch's convention).
 * TensorFlow's {@code EXPLICIT} padding expresses that but its CPU backprop kernels are 3-7x slower
 * than the oneDNN ones (measured here: 20-30 ms against 3.5 ms for a 3x3 conv at batch 128 and
 * 32x32x16), so {@code VALID} is used when there is no padding, {@code SAME} when it pads the top
 * and left exactly as the geometry does (stride 1 with {@code pad = (k-1)/2}), and otherwise the
 * input is padded with {@code Pad} and convolved {@code VALID} (the input gradient is cropped).
 */
final class TfConvolution {
  private final Ops tf;
  private final ConvGeometry g;
  private final List<Long> strides;
  private final String padding;
  private final boolean prePad;

  TfConvolution(Ops tf, ConvGeometry g) {
    this.tf = tf;
    this.g = g;
    this.strides = List.of(1L, (long) g.stride(), (long) g.stride(), 1L);
    if (g.pad() == 0) {
      padding = "VALID";
      prePad = false;
    } else if (sameMatches(g.h(), g.kh(), g.outH()) && sameMatches(g.w(), g.kw(), g.outW())) {
      padding = "SAME";
      prePad = false;
    } else {
      padding = "VALID";
      prePad = true;
    }
  }

  /**
   * @return whether SAME padding gives this output size and pads {@code pad} at the start
   */
  private boolean sameMatches(int in, int k, int out) {
    int outSame = (in + g.stride() - 1) / g.stride();
    int total = Math.max((outSame - 1) * g.stride() + k - in, 0);
    return outSame == out && total / 2 == g.pad();
  }

  /**
   * @return the input as the convolution reads it: zero-padded when SAME does not fit
   */
  private Operand<TFloat32> padded(Operand<TFloat32> input) {
    if (!prePad) {
      return input;
    }
    int p = g.pad();
    return tf.pad(
        input, tf.constant(new int[][] {{0, 0}, {p, p}, {p, p}, {0, 0}}), tf.constant(0f));
  }

  /**
   * @param weight {@code [C_out, kh·kw·c]}
   * @return the filter {@code [kh, kw, c, C_out]}
   */
  Operand<TFloat32> filter(Operand<TFloat32> weight) {
    Operand<TFloat32> t = tf.linalg.transpose(weight, tf.constant(new int[] {1, 0}));
    return tf.reshape(t, tf.constant(new long[] {g.kh(), g.kw(), g.c(), -1}));
  }

  /**
   * @param input {@code [n, h, w, c]}
   * @param filter {@code [kh, kw, c, C_out]}
   * @return {@code [n, oh, ow, C_out]}
   */
  Operand<TFloat32> forward(Operand<TFloat32> input, Operand<TFloat32> filter) {
    return tf.nn.conv2d(padded(input), filter, strides, padding);
  }

  /**
   * @param gradOut {@code [n, oh, ow, C_out]}
   * @param filter {@code [kh, kw, c, C_out]}
   * @return {@code dX}, {@code [n, h, w, c]}
   */
  Operand<TFloat32> backwardInput(Operand<TFloat32> gradOut, Operand<TFloat32> filter) {
    int p = prePad ? g.pad() : 0;
    Operand<TInt32> sizes = tf.constant(new int[] {g.n(), g.h() + 2 * p, g.w() + 2 * p, g.c()});
    Operand<TFloat32> dx = tf.nn.conv2dBackpropInput(sizes, filter, gradOut, strides, padding);
    if (!prePad) {
      return dx;
    }
    return tf.slice(
        dx,
        tf.constant(new int[] {0, p, p, 0}),
        tf.constant(new int[] {g.n(), g.h(), g.w(), g.c()}));
  }

  /**
   * @param input {@code [n, h, w, c]}
   * @param gradOut {@code [n, oh, ow, u]} for any number {@code u} of output channels
   * @param channels {@code u}, as a 1-element int32 vector
   * @return {@code dW} in this project's layout, {@code [u, kh·kw·c]}
   */
  Operand<TFloat32> backwardWeight(
      Operand<TFloat32> input, Operand<TFloat32> gradOut, Operand<TInt32> channels) {
    Operand<TInt32> sizes =
        tf.concat(
            List.of(tf.constant(new int[] {g.kh(), g.kw(), g.c()}), channels), tf.constant(0));
    Operand<TFloat32> filterGrad =
        tf.nn.conv2dBackpropFilter(
            padded(input), sizes, gradOut, strides, padding); // [kh, kw, c, u]
    Operand<TFloat32> flat =
        tf.reshape(filterGrad, tf.constant(new long[] {(long) g.kh() * g.kw() * g.c(), -1}));
    return tf.linalg.transpose(flat, tf.constant(new int[] {1, 0}));
  }

  /**
   * @return {@code [n, oh, ow, -1]} for reshaping rows {@code [n·oh·ow, u]} back to NHWC
   */
  Operand<TInt32> outputShape() {
    return tf.constant(new int[] {g.n(), g.outH(), g.outW(), -1});
  }
}
