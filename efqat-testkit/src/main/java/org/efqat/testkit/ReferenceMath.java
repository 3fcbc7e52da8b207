package org.efqat.testkit;

import java.util.SplittableRandom;
import org.efqat.api.backend.ConvGeometry;

/** Plain double-precision reference kernels the backend contract tests compare against. */
public final class ReferenceMath {
  private ReferenceMath() {}

  /**
   * {@code alpha·op(a)·op(b) + beta·c} in double precision, row-major.
   *
   * @param a {@code [m, k]} or, transposed, {@code [k, m]}
   * @param ta whether to transpose {@code a}
   * @param b {@code [k, n]} or, transposed, {@code [n, k]}
   * @param tb whether to transpose {@code b}
   * @param c {@code [m, n]}
   * @param m rows of the result
   * @param n columns of the result
   * @param k the inner dimension
   * @param alpha the product's factor
   * @param beta the factor of {@code c} (0 ignores it)
   * @return the result {@code [m, n]}
   */
  public static double[] gemm(
      float[] a,
      boolean ta,
      float[] b,
      boolean tb,
      float[] c,
      int m,
      int n,
      int k,
      double alpha,
      double beta) {
    double[] out = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          double av = ta ? a[p * m + i] : a[i * k + p];
          double bv = tb ? b[j * k + p] : b[p * n + j];
          s += av * bv;
        }
        out[i * n + j] = alpha * s + (beta == 0 ? 0 : beta * c[i * n + j]);
      }
    }
    return out;
  }

  /**
   * @param random the generator
   * @param n how many values
   * @return uniform values in [-1, 1)
   */
  public static float[] uniform(SplittableRandom random, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return x;
  }

  /**
   * im2col in double precision (layout of {@link ConvGeometry}).
   *
   * @param x NHWC input
   * @param g the geometry
   * @return {@code [n·oh·ow, kh·kw·c]}
   */
  public static double[] im2col(float[] x, ConvGeometry g) {
    int oh = g.outH();
    int ow = g.outW();
    int k = g.kh() * g.kw() * g.c();
    double[] cols = new double[g.n() * oh * ow * k];
    for (int b = 0; b < g.n(); b++) {
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++) {
          int row = (b * oh + oy) * ow + ox;
          for (int ky = 0; ky < g.kh(); ky++) {
            for (int kx = 0; kx < g.kw(); kx++) {
              int iy = oy * g.stride() - g.pad() + ky;
              int ix = ox * g.stride() - g.pad() + kx;
              for (int c = 0; c < g.c(); c++) {
                double v =
                    iy < 0 || iy >= g.h() || ix < 0 || ix >= g.w()
                        ? 0
                        : x[((b * g.h() + iy) * g.w() + ix) * g.c() + c];
                cols[row * k + (ky * g.kw() + kx) * g.c() + c] = v;
              }
            }
          }
        }
      }
    }
    return cols;
  }

  /**
   * col2im in double precision: the adjoint of {@link #im2col}.
   *
   * @param cols {@code [n·oh·ow, kh·kw·c]}
   * @param g the geometry
   * @return NHWC {@code [n, h, w, c]}
   */
  public static double[] col2im(float[] cols, ConvGeometry g) {
    int oh = g.outH();
    int ow = g.outW();
    int k = g.kh() * g.kw() * g.c();
    double[] x = new double[g.n() * g.h() * g.w() * g.c()];
    for (int b = 0; b < g.n(); b++) {
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++) {
          int row = (b * oh + oy) * ow + ox;
          for (int ky = 0; ky < g.kh(); ky++) {
            for (int kx = 0; kx < g.kw(); kx++) {
              int iy = oy * g.stride() - g.pad() + ky;
              int ix = ox * g.stride() - g.pad() + kx;
              if (iy < 0 || iy >= g.h() || ix < 0 || ix >= g.w()) {
                continue;
              }
              for (int c = 0; c < g.c(); c++) {
                x[((b * g.h() + iy) * g.w() + ix) * g.c() + c] +=
                    cols[row * k + (ky * g.kw() + kx) * g.c() + c];
              }
            }
          }
        }
      }
    }
    return x;
  }

  /**
   * Max pooling in double precision; padded positions never win.
   *
   * @param x NHWC input
   * @param g the window
   * @param argmax receives, per output element, the flat input index of the first maximum
   * @return NHWC {@code [n, oh, ow, c]}
   */
  public static double[] maxPool(float[] x, ConvGeometry g, int[] argmax) {
    int oh = g.outH();
    int ow = g.outW();
    double[] out = new double[g.n() * oh * ow * g.c()];
    for (int b = 0; b < g.n(); b++) {
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++) {
          for (int c = 0; c < g.c(); c++) {
            double best = Double.NEGATIVE_INFINITY;
            int where = -1;
            for (int ky = 0; ky < g.kh(); ky++) {
              for (int kx = 0; kx < g.kw(); kx++) {
                int iy = oy * g.stride() - g.pad() + ky;
                int ix = ox * g.stride() - g.pad() + kx;
                if (iy < 0 || iy >= g.h() || ix < 0 || ix >= g.w()) {
                  continue;
                }
                int idx = ((b * g.h() + iy) * g.w() + ix) * g.c() + c;
                if (x[idx] > best) {
                  best = x[idx];
                  where = idx;
                }
              }
            }
            int o = ((b * oh + oy) * ow + ox) * g.c() + c;
            out[o] = best;
            argmax[o] = where;
          }
        }
      }
    }
    return out;
  }

  /**
   * Per-tensor fake quantization in double precision. FP32 kernels may round {@code x/s + z}
   * differently by one level for values within float rounding of a half-level boundary; the
   * contract tests skip such elements.
   *
   * @param x input
   * @param s step
   * @param z zero point
   * @param qmin lowest level
   * @param qmax highest level
   * @return {@code s·(clamp(rint(x/s + z)) − z)}
   */
  public static double[] fakeQuantize(float[] x, float s, float z, int qmin, int qmax) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double q = Math.max(qmin, Math.min(qmax, Math.rint((double) x[i] / s + z)));
      out[i] = s * (q - z);
    }
    return out;
  }
}
