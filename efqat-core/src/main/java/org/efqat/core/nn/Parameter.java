package org.efqat.core.nn;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named parameter on the heap: its value, its gradient of the last backward pass, and for
 * row-structured parameters ({@link ParamKind#WEIGHT}, {@link ParamKind#WEIGHT_STEP}) the rows that
 * are unfrozen. Names follow PyTorch's {@code state_dict} ({@code layers.0.c1.weight}).
 */
public final class Parameter {
  private final String name;
  private final ParamKind kind;
  private final long[] shape;
  private final float[] value;
  private final float[] grad;
  private final int rows;
  private int[] activeRows;

  /**
   * @param name the checkpoint name
   * @param kind what it is
   * @param value the initial value; owned by this parameter from now on
   * @param shape its shape; the first dimension is the row count
   */
  public Parameter(String name, ParamKind kind, float[] value, long... shape) {
    this.name = Objects.requireNonNull(name, "name is null");
    this.kind = Objects.requireNonNull(kind, "kind is null");
    this.shape = shape.clone();
    this.value = value;
    this.grad = new float[value.length];
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    if (n != value.length) {
      throw new IllegalArgumentException(
          name + ": " + value.length + " values for shape " + Arrays.toString(shape));
    }
    this.rows = shape.length == 0 ? 1 : (int) shape[0];
  }

  /**
   * @return the checkpoint name
   */
  public String name() {
    return name;
  }

  /**
   * @return its kind
   */
  public ParamKind kind() {
    return kind;
  }

  /**
   * @return its shape; a copy
   */
  public long[] shape() {
    return shape.clone();
  }

  /**
   * @return the live values (updated in place by the optimizer)
   */
  public float[] value() {
    return value;
  }

  /**
   * @return the live gradient of the last backward pass
   */
  public float[] grad() {
    return grad;
  }

  /**
   * @return the number of rows (first dimension)
   */
  public int rows() {
    return rows;
  }

  /**
   * @return values per row
   */
  public int rowSize() {
    return rows == 0 ? 0 : value.length / rows;
  }

  /**
   * @return the rows that train, strictly increasing, or {@code null} when every row trains; only
   *     row-structured kinds are ever restricted
   */
  public int[] activeRows() {
    return activeRows;
  }

  /**
   * @param rows the rows that train, or {@code null} for all
   */
  public void setActiveRows(int[] rows) {
    this.activeRows = rows == null ? null : rows.clone();
  }

  /** Sets the gradient to zero. */
  public void zeroGrad() {
    Arrays.fill(grad, 0f);
  }

  @Override
  public String toString() {
    return name + " " + kind + " " + Arrays.toString(shape);
  }
}
