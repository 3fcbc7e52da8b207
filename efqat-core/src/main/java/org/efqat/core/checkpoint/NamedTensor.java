package org.efqat.core.checkpoint;

import java.util.Arrays;
import java.util.Objects;

/**
 * One named FP32 tensor of a checkpoint, row-major (C order), in PyTorch's layout and naming.
 *
 * <p>The arrays are shared, not copied: the reader hands out fresh arrays, and a caller that keeps
 * writing into {@code data} after handing the tensor to the writer gets what it wrote. {@link
 * #equals} and {@link #hashCode} compare the array contents (bitwise for the floats, so {@code NaN}
 * equals {@code NaN} and {@code 0.0} differs from {@code -0.0}).
 *
 * @param name the tensor's name, for example {@code layers.3.short.0.weight}; not empty
 * @param shape the dimensions, each {@code >= 0}; empty for a scalar
 * @param data FP32 values, {@code data.length} equal to the product of {@code shape}
 */
public record NamedTensor(String name, long[] shape, float[] data) {
  /** Checks that the name is not empty, no dimension is negative and the sizes agree. */
  public NamedTensor {
    Objects.requireNonNull(name, "name is null");
    Objects.requireNonNull(shape, "shape is null");
    Objects.requireNonNull(data, "data is null");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("tensor name is empty");
    }
    long n = numel(name, shape);
    if (n != data.length) {
      throw new IllegalArgumentException(
          name
              + ": shape "
              + Arrays.toString(shape)
              + " has "
              + n
              + " elements but data has "
              + data.length);
    }
  }

  /**
   * @param name the tensor's name
   * @param data FP32 values
   * @param shape the dimensions
   * @return a tensor, for example {@code NamedTensor.of("fc.bias", new float[10], 10)}
   */
  public static NamedTensor of(String name, float[] data, long... shape) {
    return new NamedTensor(name, shape, data);
  }

  /**
   * @return the number of elements, the product of the shape (1 for a scalar)
   */
  public int numel() {
    return data.length;
  }

  /**
   * @return the shape as {@code [10, 64]}
   */
  public String shapeString() {
    return Arrays.toString(shape);
  }

  /**
   * The product of a shape's dimensions.
   *
   * @param name the tensor, for the message
   * @param shape dimensions, each {@code >= 0}
   * @return the element count
   * @throws IllegalArgumentException for a negative dimension or a count beyond {@code int}
   */
  static long numel(String name, long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(
            name + ": shape " + Arrays.toString(shape) + " has a negative dimension");
      }
      try {
        n = Math.multiplyExact(n, d);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException(
            name + ": shape " + Arrays.toString(shape) + " overflows a long", e);
      }
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NamedTensor t
        && name.equals(t.name)
        && Arrays.equals(shape, t.shape)
        && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, Arrays.hashCode(shape), Arrays.hashCode(data));
  }

  @Override
  public String toString() {
    return "NamedTensor[" + name + " " + shapeString() + "]";
  }
}
