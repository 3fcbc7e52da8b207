package org.efqat.testkit;

import java.util.SplittableRandom;

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
  public static double[] gemm(float[] a, boolean ta, float[] b, boolean tb, float[] c, int m,
      int n, int k, double alpha, double beta) {
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
}
