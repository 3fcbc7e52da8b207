package org.efqat.core.nn;

import java.util.Arrays;
import java.util.Objects;
import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;

/**
 * A named parameter: its value, its gradient of the last backward pass, and for row-structured
 * parameters ({@link ParamKind#WEIGHT}, {@link ParamKind#WEIGHT_STEP}) the rows that are unfrozen.
 * Names follow PyTorch's {@code state_dict} ({@code layers.0.c1.weight}).
 *
 * <p>A parameter lives on the Java heap until it is {@linkplain #makeResident made resident} on a
 * backend (the trainer does so for a stage, issue 13): then value and gradient also live there as
 * tensors, and each copy is marked current or stale. {@link #value()} and {@link #grad()} return
 * the heap arrays, downloading them first if the backend's copy is newer, and mark the backend's
 * copy stale (the caller may write); {@link #valueTensor()} and {@link #gradTensor()} return the
 * tensors, uploading first if the heap is newer, and mark the heap stale. A training step that uses
 * only the tensors (forward, weight gradient, optimizer) moves nothing of the parameter's size
 * between the two; code on the heap (checkpoints, calibration, importance at a re-selection) keeps
 * working and pays one copy. Callers must not keep the arrays or tensors across calls that may move
 * the current copy.
 */
public final class Parameter {
  private final String name;
  private final ParamKind kind;
  private final long[] shape;
  private final MirroredArray value;
  private final MirroredArray grad;
  private final int size;
  private final int rows;
  private int[] activeRows;
  private TensorOps ops; // non-null while resident

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
    this.value = new MirroredArray(value);
    this.grad = new MirroredArray(new float[value.length]);
    this.size = value.length;
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
   * @return the number of values
   */
  public int size() {
    return size;
  }

  /**
   * @return the live values on the heap, current (downloaded if the backend's copy was newer); the
   *     backend's copy is stale until the next {@link #valueTensor()}
   */
  public float[] value() {
    return value.heap();
  }

  /**
   * @return the live gradient of the last backward pass on the heap, current; the backend's copy is
   *     stale until the next {@link #gradTensor()}
   */
  public float[] grad() {
    return grad.heap();
  }

  /**
   * Keeps value and gradient on a backend from now on (until {@link #releaseResidence}); the value
   * is uploaded at the first {@link #valueTensor()}. A resident parameter stays on its backend:
   * making it resident again on the same one does nothing.
   *
   * @param backendOps the backend's operations
   * @throws IllegalStateException if it is resident on another backend
   */
  public void makeResident(TensorOps backendOps) {
    Objects.requireNonNull(backendOps, "backendOps is null");
    if (ops != null) {
      if (ops != backendOps) {
        throw new IllegalStateException(name + " is resident on another backend");
      }
      return;
    }
    long[] tensorShape = shape.length == 0 ? new long[] {1} : shape;
    ops = backendOps;
    value.attach(backendOps, tensorShape);
    grad.attach(backendOps, tensorShape);
  }

  /**
   * Brings value and gradient back to the heap and frees the backend's tensors; does nothing if the
   * parameter is not resident.
   */
  public void releaseResidence() {
    if (ops == null) {
      return;
    }
    value.detach();
    grad.detach();
    ops = null;
  }

  /**
   * @return whether value and gradient live on a backend
   */
  public boolean isResident() {
    return ops != null;
  }

  /**
   * @return the backend's operations while resident, else {@code null}
   */
  public TensorOps residentOps() {
    return ops;
  }

  /**
   * @return the value on the backend, current (uploaded if the heap was newer), in the parameter's
   *     shape ({@code [1]} for a scalar); the heap copy is stale until the next {@link #value()}
   * @throws IllegalStateException if not resident
   */
  public Tensor valueTensor() {
    requireResident();
    return value.tensor();
  }

  /**
   * @return the gradient on the backend, current; the heap copy is stale until the next {@link
   *     #grad()}
   * @throws IllegalStateException if not resident
   */
  public Tensor gradTensor() {
    requireResident();
    return grad.tensor();
  }

  /**
   * @return how many times value or gradient was copied between heap and backend since the
   *     parameter was created (a diagnostic: a training step should copy no weight)
   */
  public long copies() {
    return value.copies() + grad.copies();
  }

  private void requireResident() {
    if (ops == null) {
      throw new IllegalStateException(name + " is not resident on a backend");
    }
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
    return rows == 0 ? 0 : size / rows;
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

  /** Sets the gradient to zero, where it is current: on the backend while resident. */
  public void zeroGrad() {
    grad.fill(0f);
  }

  @Override
  public String toString() {
    return name + " " + kind + " " + Arrays.toString(shape);
  }
}
