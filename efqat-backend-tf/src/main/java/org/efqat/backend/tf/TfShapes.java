package org.efqat.backend.tf;

import java.util.Arrays;

/**
 * Shape checks of the TensorFlow kernels beyond {@link org.efqat.api.backend.Shapes}, in the same
 * style: every message names what was expected and what was given.
 */
final class TfShapes {
  private TfShapes() {}

  /**
   * @param shape a shape
   * @return its number of elements
   */
  static long size(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  /**
   * @param what the operand, for example {@code "im2col cols"}
   * @param actual its shape
   * @param expected the shape it must have
   */
  static void requireShape(String what, long[] actual, long[] expected) {
    if (!Arrays.equals(actual, expected)) {
      throw new IllegalArgumentException(
          what
              + ": expected "
              + Arrays.toString(expected)
              + " (was "
              + Arrays.toString(actual)
              + ")");
    }
  }

  /**
   * @param what the operation
   * @param shapes the shapes of its operands, which must have equally many elements
   */
  static void requireSameSize(String what, long[]... shapes) {
    for (long[] s : shapes) {
      if (size(s) != size(shapes[0])) {
        StringBuilder sb = new StringBuilder(what).append(": expected equal sizes (was");
        for (long[] t : shapes) {
          sb.append(' ').append(Arrays.toString(t));
        }
        throw new IllegalArgumentException(sb.append(')').toString());
      }
    }
  }

  /**
   * @param shape a shape, which must have no negative dimension
   */
  static void requireDims(long[] shape) {
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
    }
  }

  /**
   * @param from a shape
   * @param to the shape asked for
   */
  static void requireReshape(long[] from, long[] to) {
    requireDims(to);
    if (size(from) != size(to)) {
      throw new IllegalArgumentException(
          "cannot reshape "
              + Arrays.toString(from)
              + " to "
              + Arrays.toString(to)
              + ": expected "
              + size(from)
              + " elements (was "
              + size(to)
              + ")");
    }
  }

  /**
   * Checks a tensor read as the matrix {@code [M, C]} of its positions × channels.
   *
   * @param what the operand
   * @param shape its shape, {@code [M, C]} or {@code [n, h, w, C]}
   * @param columns the channel count {@code C}
   * @return {@code [M, C]}
   */
  static long[] matrix(String what, long[] shape, int columns) {
    if (shape.length < 1 || shape[shape.length - 1] != columns) {
      throw new IllegalArgumentException(
          what
              + ": expected [M, "
              + columns
              + "] or [n, h, w, "
              + columns
              + "] (was "
              + Arrays.toString(shape)
              + ")");
    }
    return new long[] {size(shape) / Math.max(columns, 1), columns};
  }

  /**
   * @param what the vector
   * @param v its values
   * @param length the length it must have
   */
  static void requireLength(String what, float[] v, int length) {
    if (v.length != length) {
      throw new IllegalArgumentException(
          what + ": expected " + length + " values (was " + v.length + ")");
    }
  }

  /**
   * @param what the operand
   * @param shape its shape
   * @param rank the rank it must have
   */
  static void requireRank(String what, long[] shape, int rank) {
    if (shape.length != rank) {
      throw new IllegalArgumentException(
          what + ": expected rank " + rank + " (was " + Arrays.toString(shape) + ")");
    }
  }
}
