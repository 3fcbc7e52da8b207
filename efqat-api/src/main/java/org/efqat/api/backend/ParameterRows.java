package org.efqat.api.backend;

import java.util.Arrays;

/**
 * Argument checks of the parameter kernels ({@link TensorOps#fakeQuantizeRows}, {@link
 * TensorOps#sgdUpdate} and the others), shared by every backend so that all of them refuse the same
 * arguments with the same message.
 */
public final class ParameterRows {
  private ParameterRows() {}

  /**
   * @param t a parameter tensor
   * @return its row count: the first dimension, 1 for a scalar
   */
  public static int rowsOf(Tensor t) {
    long[] s = t.shape();
    return s.length == 0 ? 1 : Math.toIntExact(s[0]);
  }

  /**
   * Checks {@link TensorOps#fakeQuantizeRows}' operands.
   *
   * @return {@code R}, the number of rows (the size of {@code step})
   */
  public static int checkGroups(String op, Tensor x, Tensor step, Tensor zeroPoint, Tensor out) {
    int r = Math.toIntExact(step.size());
    if (r == 0
        || zeroPoint.size() != r
        || x.size() % r != 0
        || out.size() != x.size()
        || rowsOf(x) != r) {
      throw new IllegalArgumentException(
          op
              + " shapes do not fit: x "
              + Arrays.toString(x.shape())
              + ", step "
              + Arrays.toString(step.shape())
              + ", zero point "
              + Arrays.toString(zeroPoint.shape())
              + ", out "
              + Arrays.toString(out.shape())
              + "; expected x and out [R, K], step and zero point [R]");
    }
    return r;
  }

  /**
   * Checks {@link TensorOps#fakeQuantizeRowsBackward}' operands.
   *
   * @return {@code R}
   */
  public static int checkBackward(
      Tensor x,
      Tensor gradOut,
      int[] rows,
      Tensor step,
      Tensor zeroPoint,
      Tensor gradInput,
      Tensor gradStep) {
    String op = "fakeQuantizeRowsBackward";
    int r = checkGroups(op, x, step, zeroPoint, gradInput);
    long k = x.size() / r;
    long u = rows == null ? r : rows.length;
    if (gradOut.size() != u * k || (gradStep != null && gradStep.size() != r)) {
      throw new IllegalArgumentException(
          op
              + " shapes do not fit: x "
              + Arrays.toString(x.shape())
              + ", gradOut "
              + Arrays.toString(gradOut.shape())
              + " for "
              + u
              + " rows, gradStep "
              + (gradStep == null ? "none" : Arrays.toString(gradStep.shape()))
              + "; expected gradOut ["
              + u
              + ", "
              + k
              + "] and gradStep ["
              + r
              + "]");
    }
    ParameterKernels.checkRows(op, r, rows);
    return r;
  }

  /**
   * Checks an optimizer update's operands: every state tensor as large as the parameter, rows in
   * range and increasing.
   *
   * @return {@code R}, the parameter's row count
   */
  public static int checkUpdate(String op, Tensor w, int[] rows, Tensor... state) {
    int r = rowsOf(w);
    for (Tensor t : state) {
      if (t.size() != w.size()) {
        throw new IllegalArgumentException(
            op
                + ": state "
                + Arrays.toString(t.shape())
                + " differs in size from the parameter "
                + Arrays.toString(w.shape()));
      }
    }
    if (r == 0 || w.size() % r != 0) {
      throw new IllegalArgumentException(
          op + ": parameter " + Arrays.toString(w.shape()) + " has no rows");
    }
    ParameterKernels.checkRows(op, r, rows);
    return r;
  }

  /** Checks that AdamW got one step count per listed row. */
  public static void checkSteps(int rowCount, int[] rows, int[] steps) {
    int u = rows == null ? rowCount : rows.length;
    if (steps.length != u) {
      throw new IllegalArgumentException(
          "adamwUpdate: " + steps.length + " step counts for " + u + " rows");
    }
  }
}
