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

  /**
   * Checks {@code c[i] = op(a[i])·op(b[i])} for {@code i < B}.
   *
   * @param a the shape of {@code a}, {@code [B, M, K]} or, transposed, {@code [B, K, M]}
   * @param ta whether {@code a[i]} is transposed
   * @param b the shape of {@code b}, {@code [B, K, N]} or, transposed, {@code [B, N, K]}
   * @param tb whether {@code b[i]} is transposed
   * @param c the shape of {@code c}, {@code [B, M, N]}
   */
  public static void checkBatchedGemm(long[] a, boolean ta, long[] b, boolean tb, long[] c) {
    if (a.length != 3 || b.length != 3 || c.length != 3) {
      throw new IllegalArgumentException(
          "batchedGemm needs 3-D tensors [B, rows, columns], got a "
              + Arrays.toString(a)
              + ", b "
              + Arrays.toString(b)
              + ", c "
              + Arrays.toString(c));
    }
    long m = ta ? a[2] : a[1];
    long k = ta ? a[1] : a[2];
    long kb = tb ? b[2] : b[1];
    long n = tb ? b[1] : b[2];
    if (a[0] != b[0] || a[0] != c[0] || k != kb || c[1] != m || c[2] != n) {
      throw new IllegalArgumentException(
          "batchedGemm shapes do not fit: a "
              + Arrays.toString(a)
              + (ta ? "ᵀ" : "")
              + " · b "
              + Arrays.toString(b)
              + (tb ? "ᵀ" : "")
              + " -> c "
              + Arrays.toString(c)
              + "; expected c ["
              + a[0]
              + ", "
              + m
              + ", "
              + n
              + "], the same batch size and matching inner dimensions");
    }
  }

  /**
   * Checks {@code out[a, c, b, d] = x[a, b, c, d]}.
   *
   * @param x the shape of {@code x}, {@code [A, B, C, D]}
   * @param out the shape of {@code out}, {@code [A, C, B, D]}
   */
  public static void checkSwapMiddleAxes(long[] x, long[] out) {
    if (x.length != 4
        || out.length != 4
        || out[0] != x[0]
        || out[1] != x[2]
        || out[2] != x[1]
        || out[3] != x[3]) {
      throw new IllegalArgumentException(
          "swapMiddleAxes shapes do not fit: x "
              + Arrays.toString(x)
              + " -> out "
              + Arrays.toString(out)
              + (x.length == 4
                  ? "; expected out [" + x[0] + ", " + x[2] + ", " + x[1] + ", " + x[3] + "]"
                  : "; expected 4-D tensors [A, B, C, D] -> [A, C, B, D]"));
    }
  }

  /**
   * Checks a row gather or scatter between {@code table [V, D]} and {@code rows [n, D]}.
   *
   * @param op the operation, for the message
   * @param table the shape of the table, {@code [V, D]}
   * @param indices the {@code n} row numbers, each within {@code [0, V)}
   * @param rows the shape of the gathered (or scattered) rows, {@code [n, D]}
   */
  public static void checkRows(String op, long[] table, int[] indices, long[] rows) {
    if (table.length != 2 || rows.length != 2 || rows[0] != indices.length || rows[1] != table[1]) {
      throw new IllegalArgumentException(
          op
              + " shapes do not fit: table "
              + Arrays.toString(table)
              + ", "
              + indices.length
              + " indices, rows "
              + Arrays.toString(rows)
              + "; expected table [V, D] and rows ["
              + indices.length
              + ", "
              + (table.length == 2 ? Long.toString(table[1]) : "D")
              + "]");
    }
    for (int i = 0; i < indices.length; i++) {
      if (indices[i] < 0 || indices[i] >= table[0]) {
        throw new IllegalArgumentException(
            op
                + ": index "
                + indices[i]
                + " (position "
                + i
                + ") outside [0, "
                + table[0]
                + ") for table "
                + Arrays.toString(table));
      }
    }
  }

  /**
   * Checks that element-wise operands have the same number of elements.
   *
   * @param op the operation, for the message
   * @param shapes the operands' shapes
   */
  public static void checkSameSize(String op, long[]... shapes) {
    for (long[] s : shapes) {
      if (size(s) != size(shapes[0])) {
        throw new IllegalArgumentException(
            op + ": sizes differ: " + describe(shapes) + "; expected the same number of elements");
      }
    }
  }

  /**
   * Checks that operands have the same shape.
   *
   * @param op the operation, for the message
   * @param shapes the operands' shapes
   */
  public static void checkSameShape(String op, long[]... shapes) {
    for (long[] s : shapes) {
      if (!Arrays.equals(s, shapes[0])) {
        throw new IllegalArgumentException(
            op + ": shapes differ: " + describe(shapes) + "; expected one shape");
      }
    }
  }

  /**
   * Checks a row normalization: {@code x} and {@code out} of one shape with last dimension {@code D
   * ≥ 1}, and {@code invStd [M]} with {@code M} the number of rows.
   *
   * @param x the shape of the input
   * @param out the shape of the normalized rows
   * @param invStd the shape of the per-row reciprocal standard deviation
   */
  public static void checkNormalizeRows(long[] x, long[] out, long[] invStd) {
    checkRowsWithStd("normalizeRows", invStd, new String[] {"x", "out"}, x, out);
  }

  /**
   * Checks the backward pass of a row normalization: {@code x̂}, {@code g} and {@code dx} of one
   * shape with last dimension {@code D ≥ 1}, and {@code invStd [M]} with {@code M} the number of
   * rows.
   *
   * @param normalized the shape of the forward output {@code x̂}
   * @param invStd the shape of the forward {@code r}
   * @param gradNormalized the shape of {@code g}
   * @param gradInput the shape of {@code dx}
   */
  public static void checkNormalizeRowsBackward(
      long[] normalized, long[] invStd, long[] gradNormalized, long[] gradInput) {
    checkRowsWithStd(
        "normalizeRowsBackward",
        invStd,
        new String[] {"normalized", "gradNormalized", "gradInput"},
        normalized,
        gradNormalized,
        gradInput);
  }

  private static void checkRowsWithStd(String op, long[] invStd, String[] names, long[]... shapes) {
    long[] x = shapes[0];
    long rows = x.length == 0 || x[x.length - 1] < 1 ? -1 : size(x) / x[x.length - 1];
    boolean fits = rows >= 0 && invStd.length == 1 && invStd[0] == rows;
    for (long[] s : shapes) {
      fits &= Arrays.equals(s, x);
    }
    if (!fits) {
      StringBuilder sb = new StringBuilder(op).append(" shapes do not fit:");
      for (int i = 0; i < shapes.length; i++) {
        sb.append(' ').append(names[i]).append(' ').append(Arrays.toString(shapes[i])).append(',');
      }
      sb.append(" invStd ").append(Arrays.toString(invStd));
      if (rows < 0) {
        sb.append("; expected ").append(names[0]).append(" with a last dimension D >= 1");
      } else {
        sb.append("; expected every tensor of shape ")
            .append(Arrays.toString(x))
            .append(" and invStd [")
            .append(rows)
            .append(']');
      }
      throw new IllegalArgumentException(sb.toString());
    }
  }

  /**
   * Checks the masked softmax of attention.
   *
   * @param scores the shape of the scores, {@code [B, H, L_q, L_k]}
   * @param keyMask the shape of the key mask, {@code [B, L_k]}
   * @param out the shape of the probabilities, that of {@code scores}
   */
  public static void checkMaskedSoftmax(long[] scores, long[] keyMask, long[] out) {
    if (scores.length != 4
        || keyMask.length != 2
        || keyMask[0] != scores[0]
        || keyMask[1] != scores[3]
        || !Arrays.equals(scores, out)) {
      throw new IllegalArgumentException(
          "maskedSoftmax shapes do not fit: scores "
              + Arrays.toString(scores)
              + ", keyMask "
              + Arrays.toString(keyMask)
              + ", out "
              + Arrays.toString(out)
              + "; expected scores [B, H, L_q, L_k], keyMask [B, L_k] and out the shape of"
              + " scores");
    }
  }

  private static long size(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  private static String describe(long[]... shapes) {
    StringBuilder sb = new StringBuilder();
    for (long[] s : shapes) {
      sb.append(sb.length() == 0 ? "" : ", ").append(Arrays.toString(s));
    }
    return sb.toString();
  }
}
