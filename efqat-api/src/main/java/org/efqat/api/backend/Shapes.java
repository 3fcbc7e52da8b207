package org.efqat.api.backend;

import java.util.Arrays;

/**
 * Shape checks shared by backends, with messages that name the shapes, so every backend rejects bad
 * input the same way.
 */
public final class Shapes {
  private Shapes() {}

  /**
   * @param length the number of values given
   * @param shape the shape asked for
   * @throws IllegalArgumentException if they disagree or a dimension is negative
   */
  public static void checkData(int length, long... shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      n *= d;
    }
    if (n != length) {
      throw new IllegalArgumentException(
          "shape "
              + Arrays.toString(shape)
              + " needs "
              + n
              + " values but "
              + length
              + " were given");
    }
  }

  /**
   * Checks {@code c[M,N] = op(a)·op(b)}.
   *
   * @param a the shape of {@code a}
   * @param ta whether {@code a} is transposed
   * @param b the shape of {@code b}
   * @param tb whether {@code b} is transposed
   * @param c the shape of {@code c}
   */
  public static void checkGemm(long[] a, boolean ta, long[] b, boolean tb, long[] c) {
    if (a.length != 2 || b.length != 2 || c.length != 2) {
      throw new IllegalArgumentException(
          "gemm needs 2-D tensors, got a "
              + Arrays.toString(a)
              + ", b "
              + Arrays.toString(b)
              + ", c "
              + Arrays.toString(c));
    }
    long m = ta ? a[1] : a[0];
    long k = ta ? a[0] : a[1];
    long kb = tb ? b[1] : b[0];
    long n = tb ? b[0] : b[1];
    if (k != kb || c[0] != m || c[1] != n) {
      throw new IllegalArgumentException(
          "gemm shapes do not fit: a "
              + Arrays.toString(a)
              + (ta ? "ᵀ" : "")
              + " · b "
              + Arrays.toString(b)
              + (tb ? "ᵀ" : "")
              + " -> c "
              + Arrays.toString(c)
              + "; expected c ["
              + m
              + ", "
              + n
              + "] and matching inner dimensions");
    }
  }

  /**
   * Checks {@code dW[U] = dY[:,U]ᵀ·X}.
   *
   * @param gradOut the shape of {@code dY}, {@code [N, C_out]}
   * @param input the shape of {@code X}, {@code [N, K]}
   * @param rows the unfrozen rows
   * @param gradWeight the shape of {@code dW}, {@code [C_out, K]}
   */
  public static void checkSparseRows(long[] gradOut, long[] input, int[] rows, long[] gradWeight) {
    if (gradOut.length != 2
        || input.length != 2
        || gradWeight.length != 2
        || gradOut[0] != input[0]
        || gradWeight[0] != gradOut[1]
        || gradWeight[1] != input[1]) {
      throw new IllegalArgumentException(
          "sparse weight gradient shapes do not fit: dY "
              + Arrays.toString(gradOut)
              + ", X "
              + Arrays.toString(input)
              + ", dW "
              + Arrays.toString(gradWeight)
              + "; expected dY [N, C_out], X [N, K], dW [C_out, K]");
    }
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] < 0 || rows[i] >= gradWeight[0]) {
        throw new IllegalArgumentException(
            "row " + rows[i] + " outside [0, " + gradWeight[0] + ")");
      }
      if (i > 0 && rows[i] <= rows[i - 1]) {
        throw new IllegalArgumentException(
            "rows must be strictly increasing (" + rows[i - 1] + " then " + rows[i] + ")");
      }
    }
  }
}
