package org.efqat.api.backend;

/**
 * The geometry of a 2-D convolution or pooling window over an NHWC tensor (groups = 1).
 *
 * <p>Output size: {@code oh = (h + 2·pad − kh) / stride + 1}, likewise {@code ow}. The im2col
 * matrix of an input {@code [n, h, w, c]} has shape {@code [n·oh·ow, kh·kw·c]}; its row {@code (b,
 * y, x)} lists the window at output position {@code (y, x)} of sample {@code b} in {@code (ky, kx,
 * c)} order, zeros where the window overlaps the padding.
 *
 * @param n batch size
 * @param h input height
 * @param w input width
 * @param c input channels
 * @param kh window height
 * @param kw window width
 * @param stride stride in both directions, {@code >= 1}
 * @param pad zero padding on every side, {@code >= 0} and smaller than the window (a window made
 *     only of padding has no value)
 */
public record ConvGeometry(int n, int h, int w, int c, int kh, int kw, int stride, int pad) {
  /** Checks that the window fits. */
  public ConvGeometry {
    if (n < 0
        || h < 1
        || w < 1
        || c < 1
        || kh < 1
        || kw < 1
        || stride < 1
        || pad < 0
        || h + 2 * pad < kh
        || w + 2 * pad < kw
        || pad >= kh
        || pad >= kw) {
      throw new IllegalArgumentException("invalid convolution geometry " + this);
    }
  }

  /**
   * @return the output height
   */
  public int outH() {
    return (h + 2 * pad - kh) / stride + 1;
  }

  /**
   * @return the output width
   */
  public int outW() {
    return (w + 2 * pad - kw) / stride + 1;
  }

  /**
   * @return the input shape {@code [n, h, w, c]}
   */
  public long[] inputShape() {
    return new long[] {n, h, w, c};
  }

  /**
   * @return the im2col shape {@code [n·oh·ow, kh·kw·c]}
   */
  public long[] colsShape() {
    return new long[] {(long) n * outH() * outW(), (long) kh * kw * c};
  }

  /**
   * @param channels the output channels
   * @return the output shape {@code [n, oh, ow, channels]}
   */
  public long[] outputShape(int channels) {
    return new long[] {n, outH(), outW(), channels};
  }
}
