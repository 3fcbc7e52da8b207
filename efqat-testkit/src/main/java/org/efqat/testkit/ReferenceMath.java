package org.efqat.testkit;

import java.util.Arrays;
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

  // ---- Transformer kernels ---------------------------------------------------------------

  /**
   * {@link #gemm} for each of {@code batch} independent products.
   *
   * @param a {@code [batch, m, k]} or, transposed, {@code [batch, k, m]}
   * @param ta whether to transpose each {@code a[i]}
   * @param b {@code [batch, k, n]} or, transposed, {@code [batch, n, k]}
   * @param tb whether to transpose each {@code b[i]}
   * @param c {@code [batch, m, n]}, or {@code null} when {@code beta} is 0
   * @param batch the number of products
   * @param m rows of each result
   * @param n columns of each result
   * @param k the inner dimension
   * @param alpha the products' factor
   * @param beta the factor of {@code c} (0 ignores it)
   * @return the results {@code [batch, m, n]}
   */
  public static double[] batchedGemm(
      float[] a,
      boolean ta,
      float[] b,
      boolean tb,
      float[] c,
      int batch,
      int m,
      int n,
      int k,
      double alpha,
      double beta) {
    double[] out = new double[batch * m * n];
    for (int i = 0; i < batch; i++) {
      float[] ai = Arrays.copyOfRange(a, i * m * k, (i + 1) * m * k);
      float[] bi = Arrays.copyOfRange(b, i * k * n, (i + 1) * k * n);
      float[] ci = c == null ? null : Arrays.copyOfRange(c, i * m * n, (i + 1) * m * n);
      double[] r = gemm(ai, ta, bi, tb, ci, m, n, k, alpha, beta);
      System.arraycopy(r, 0, out, i * m * n, m * n);
    }
    return out;
  }

  /**
   * @param x {@code [a, b, c, d]}
   * @param shape {@code {a, b, c, d}}
   * @return {@code [a, c, b, d]} with {@code out[i, k, j, l] = x[i, j, k, l]}
   */
  public static double[] swapMiddleAxes(float[] x, int[] shape) {
    int na = shape[0];
    int nb = shape[1];
    int nc = shape[2];
    int nd = shape[3];
    double[] out = new double[x.length];
    for (int i = 0; i < na; i++) {
      for (int j = 0; j < nb; j++) {
        for (int k = 0; k < nc; k++) {
          for (int l = 0; l < nd; l++) {
            out[((i * nc + k) * nb + j) * nd + l] = x[((i * nb + j) * nc + k) * nd + l];
          }
        }
      }
    }
    return out;
  }

  /**
   * @param table {@code [V, d]}
   * @param d the row length
   * @param indices row numbers
   * @return {@code [indices.length, d]} with {@code out[i, :] = table[indices[i], :]}
   */
  public static double[] gatherRows(float[] table, int d, int[] indices) {
    double[] out = new double[indices.length * d];
    for (int i = 0; i < indices.length; i++) {
      for (int j = 0; j < d; j++) {
        out[i * d + j] = table[indices[i] * d + j];
      }
    }
    return out;
  }

  /**
   * @param src {@code [indices.length, d]}
   * @param indices row numbers, repeats allowed
   * @param table {@code [V, d]}
   * @param d the row length
   * @return {@code table} with {@code src[i, :]} added to row {@code indices[i]} for every {@code
   *     i}, summed in double
   */
  public static double[] scatterAddRows(float[] src, int[] indices, float[] table, int d) {
    double[] out = new double[table.length];
    for (int i = 0; i < table.length; i++) {
      out[i] = table[i];
    }
    for (int i = 0; i < indices.length; i++) {
      for (int j = 0; j < d; j++) {
        out[indices[i] * d + j] += src[i * d + j];
      }
    }
    return out;
  }

  /**
   * The error function to about 1e-16 relative error: the series {@code erf(x) = 2/√π·e^(−x²)·Σ
   * 2ⁿx^(2n+1)/(1·3·…·(2n+1))} (all terms positive, no cancellation) below 3, {@code 1 − erfc(x)}
   * from the continued fraction of {@link #erfc} above.
   *
   * @param x any value
   * @return {@code erf(x)}
   */
  public static double erf(double x) {
    double ax = Math.abs(x);
    double r = ax < 3 ? erfSeries(ax) : 1 - erfcContinuedFraction(ax);
    return x < 0 ? -r : r;
  }

  /**
   * The complementary error function with high relative accuracy in the tails: {@code 1 − erf(x)}
   * below 2 (at most about 2e-14 relative error there), Laplace's continued fraction {@code erfc(x)
   * = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …))))} from 2 on, and {@code 2 − erfc(−x)}
   * for negative {@code x}.
   *
   * @param x any value
   * @return {@code erfc(x)}
   */
  public static double erfc(double x) {
    if (x < 0) {
      return 2 - erfc(-x);
    }
    return x < 2 ? 1 - erfSeries(x) : erfcContinuedFraction(x);
  }

  private static double erfSeries(double x) {
    double x2 = x * x;
    double term = x;
    double sum = x;
    for (int n = 1; n < 500 && term > 1e-17 * sum; n++) {
      term *= 2 * x2 / (2 * n + 1);
      sum += term;
    }
    return 2 / Math.sqrt(Math.PI) * Math.exp(-x2) * sum;
  }

  /** Modified Lentz evaluation of {@code x + (1/2)/(x + (2/2)/(x + (3/2)/(x + …)))}, x ≥ 2. */
  private static double erfcContinuedFraction(double x) {
    double tiny = 1e-300;
    double f = x;
    double c = x;
    double d = 0;
    for (int n = 1; n < 5000; n++) {
      double a = n / 2.0;
      d = x + a * d;
      d = d == 0 ? 1 / tiny : 1 / d;
      c = x + a / c;
      c = c == 0 ? tiny : c;
      double delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1) < 1e-16) {
        break;
      }
    }
    return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
  }

  /**
   * @param x any value
   * @return the standard normal distribution function {@code Φ(x) = erfc(−x/√2)/2}
   */
  public static double normalCdf(double x) {
    return erfc(-x / Math.sqrt(2)) / 2;
  }

  /**
   * @param x any value
   * @return the standard normal density {@code φ(x) = e^(−x²/2)/√(2π)}
   */
  public static double normalPdf(double x) {
    return Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
  }

  /**
   * @param x input
   * @return the exact GELU {@code x·Φ(x)}
   */
  public static double[] gelu(float[] x) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i] * normalCdf(x[i]);
    }
    return out;
  }

  /**
   * @param x the forward input
   * @param dy the gradient w.r.t. the output
   * @return {@code dy·(Φ(x) + x·φ(x))}
   */
  public static double[] geluBackward(float[] x, float[] dy) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = dy[i] * (normalCdf(x[i]) + x[i] * normalPdf(x[i]));
    }
    return out;
  }

  /**
   * Row normalization (LayerNorm without the affine part) with two-pass mean and biased variance.
   *
   * @param x {@code [M, d]}
   * @param d the row length
   * @param eps added to the variance
   * @param invStd receives {@code 1/√(σ² + eps)} per row, length {@code M}
   * @return {@code (x − μ)·invStd} per row
   */
  public static double[] normalizeRows(float[] x, int d, double eps, double[] invStd) {
    int rows = x.length / d;
    double[] out = new double[x.length];
    for (int m = 0; m < rows; m++) {
      double mean = 0;
      for (int j = 0; j < d; j++) {
        mean += x[m * d + j];
      }
      mean /= d;
      double var = 0;
      for (int j = 0; j < d; j++) {
        double e = x[m * d + j] - mean;
        var += e * e;
      }
      var /= d;
      double r = 1 / Math.sqrt(var + eps);
      invStd[m] = r;
      for (int j = 0; j < d; j++) {
        out[m * d + j] = (x[m * d + j] - mean) * r;
      }
    }
    return out;
  }

  /**
   * @param normalized {@code x̂}, {@code [M, d]}
   * @param invStd {@code r}, length {@code M}
   * @param g the gradient w.r.t. {@code x̂}, {@code [M, d]}
   * @param d the row length
   * @return {@code r·(g − mean(g) − x̂·mean(g·x̂))} per row
   */
  public static double[] normalizeRowsBackward(
      float[] normalized, float[] invStd, float[] g, int d) {
    int rows = normalized.length / d;
    double[] out = new double[normalized.length];
    for (int m = 0; m < rows; m++) {
      double meanG = 0;
      double meanGx = 0;
      for (int j = 0; j < d; j++) {
        meanG += g[m * d + j];
        meanGx += (double) g[m * d + j] * normalized[m * d + j];
      }
      meanG /= d;
      meanGx /= d;
      for (int j = 0; j < d; j++) {
        out[m * d + j] = invStd[m] * (g[m * d + j] - meanG - normalized[m * d + j] * meanGx);
      }
    }
    return out;
  }

  /**
   * The masked softmax of attention in double precision: masked keys are skipped (their scores
   * never read), so they get exactly 0.
   *
   * @param scores {@code [b, h, lq, lk]}
   * @param keyMask {@code [b, lk]} of 1 (key) and 0 (padding), at least one 1 per batch element
   * @param shape {@code {b, h, lq, lk}}
   * @return the probabilities {@code [b, h, lq, lk]}
   */
  public static double[] maskedSoftmax(float[] scores, float[] keyMask, int[] shape) {
    int lk = shape[3];
    int rowsPerBatch = shape[1] * shape[2];
    double[] out = new double[scores.length];
    for (int row = 0; row < scores.length / lk; row++) {
      int b = row / rowsPerBatch;
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < lk; j++) {
        if (keyMask[b * lk + j] != 0) {
          max = Math.max(max, scores[row * lk + j]);
        }
      }
      double sum = 0;
      for (int j = 0; j < lk; j++) {
        if (keyMask[b * lk + j] != 0) {
          out[row * lk + j] = Math.exp(scores[row * lk + j] - max);
          sum += out[row * lk + j];
        }
      }
      for (int j = 0; j < lk; j++) {
        out[row * lk + j] /= sum;
      }
    }
    return out;
  }

  /**
   * @param p softmax outputs, rows of length {@code l}
   * @param dy the gradient w.r.t. {@code p}
   * @param l the row length
   * @return {@code p·(dy − Σ_j p·dy)} per row
   */
  public static double[] softmaxBackward(float[] p, float[] dy, int l) {
    double[] out = new double[p.length];
    for (int row = 0; row < p.length / l; row++) {
      double dot = 0;
      for (int j = 0; j < l; j++) {
        dot += (double) p[row * l + j] * dy[row * l + j];
      }
      for (int j = 0; j < l; j++) {
        out[row * l + j] = p[row * l + j] * (dy[row * l + j] - dot);
      }
    }
    return out;
  }
}
