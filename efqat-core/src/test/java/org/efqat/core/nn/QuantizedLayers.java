package org.efqat.core.nn;

import java.util.SplittableRandom;
import org.efqat.api.quant.QuantParams;
import org.efqat.core.quant.LsqPlusQuantizer;
import org.efqat.core.quant.LsqQuantizer;

/** Test helpers: quantize a layer by hand (min-max ranges), random tensors, heap im2col. */
public final class QuantizedLayers {
  private QuantizedLayers() {}

  /**
   * Quantizes a layer with {@code lsq} weights (per-row min-max) and {@code lsq-plus} inputs on a
   * given input range.
   *
   * @param layer the layer
   * @param weightBits weight bits
   * @param inputBits input bits
   * @param inLo lowest input
   * @param inHi highest input
   */
  public static void quantize(
      WeightLayer layer, int weightBits, int inputBits, float inLo, float inHi) {
    LsqQuantizer wq = new LsqQuantizer(weightBits);
    LsqPlusQuantizer aq = new LsqPlusQuantizer(inputBits, true);
    int rows = layer.outChannels();
    int k = layer.weight().rowSize();
    float[] w = layer.weight().value();
    float[] lo = new float[rows];
    float[] hi = new float[rows];
    for (int r = 0; r < rows; r++) {
      lo[r] = Float.POSITIVE_INFINITY;
      hi[r] = Float.NEGATIVE_INFINITY;
      for (int j = 0; j < k; j++) {
        lo[r] = Math.min(lo[r], w[r * k + j]);
        hi[r] = Math.max(hi[r], w[r * k + j]);
      }
    }
    QuantParams wp = wq.initialize(lo, hi);
    QuantParams ip = aq.initialize(new float[] {inLo}, new float[] {inHi});
    layer.quantize(new LayerQuantization(wq, aq), wp, ip);
  }

  /**
   * @param r a stream
   * @param n values
   * @param std their standard deviation
   * @return Gaussian values
   */
  public static float[] gaussian(SplittableRandom r, int n, double std) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (r.nextGaussian() * std);
    }
    return v;
  }

  /**
   * The im2col rows of an NHWC input, computed on the heap: row {@code (n, oy, ox)}, column {@code
   * (ky, kx, c)}, zero padding.
   *
   * @param x the input {@code [n, h, w, c]}
   * @param s its shape
   * @param k the kernel size
   * @param stride the stride
   * @param pad the padding
   * @return {@code [n·oh·ow, k·k·c]}
   */
  public static float[] im2col(float[] x, FeatureShape s, int k, int stride, int pad) {
    int oh = (s.h() + 2 * pad - k) / stride + 1;
    int ow = (s.w() + 2 * pad - k) / stride + 1;
    int cols = k * k * s.c();
    float[] out = new float[s.n() * oh * ow * cols];
    for (int n = 0; n < s.n(); n++) {
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++) {
          int row = (n * oh + oy) * ow + ox;
          for (int ky = 0; ky < k; ky++) {
            for (int kx = 0; kx < k; kx++) {
              int iy = oy * stride - pad + ky;
              int ix = ox * stride - pad + kx;
              if (iy < 0 || iy >= s.h() || ix < 0 || ix >= s.w()) {
                continue;
              }
              for (int c = 0; c < s.c(); c++) {
                out[row * cols + (ky * k + kx) * s.c() + c] =
                    x[((n * s.h() + iy) * s.w() + ix) * s.c() + c];
              }
            }
          }
        }
      }
    }
    return out;
  }
}
