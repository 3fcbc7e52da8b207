package org.efqat.backend.tf;

import java.util.Arrays;
import org.efqat.api.backend.Tensor;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A {@link Tensor} holding an eager TensorFlow operand. TensorFlow eager ops allocate their
 * outputs, so an in-place write replaces the operand this handle points to.
 *
 * <p>A tensor and the views {@link #view(long[]) reshaped} from it share one {@link Storage}:
 * whichever handle is written, every handle reads the new values in its own shape, like a
 * reshaped view of a row-major buffer. Reading through a handle whose shape differs from the
 * stored operand's adds an eager {@code Reshape}, which shares the buffer rather than copying it.
 */
final class TfTensor implements Tensor {
  private final TfBackend owner;
  private final long[] shape;
  private Storage storage;

  /**
   * A new tensor with its own storage.
   *
   * @param owner the backend that made it
   * @param value the values, of shape {@code shape}
   * @param shape the shape
   */
  TfTensor(TfBackend owner, Operand<TFloat32> value, long[] shape) {
    this(owner, new Storage(value, shape), shape);
  }

  private TfTensor(TfBackend owner, Storage storage, long[] shape) {
    this.owner = owner;
    this.storage = storage;
    this.shape = shape.clone();
  }

  /**
   * @param newShape a shape with as many elements as this tensor's
   * @return a handle of that shape sharing this tensor's storage
   */
  TfTensor view(long[] newShape) {
    return new TfTensor(owner, storage(), newShape);
  }

  /**
   * @param tf the ops of the owner's eager session
   * @return the current values in this handle's shape
   */
  Operand<TFloat32> value(Ops tf) {
    return value(tf, shape);
  }

  /**
   * @param tf the ops of the owner's eager session
   * @param as a shape with as many elements as this tensor's (the caller checks)
   * @return the current values in shape {@code as}
   */
  Operand<TFloat32> value(Ops tf, long[] as) {
    Storage s = storage();
    if (Arrays.equals(s.shape, as)) {
      return s.value;
    }
    return tf.reshape(s.value, tf.constant(as));
  }

  /**
   * Overwrites the values, for this handle and every view sharing its storage.
   *
   * @param next the new values, in this handle's shape
   */
  void replace(Operand<TFloat32> next) {
    assert Arrays.equals(next.shape().asArray(), shape)
        : "operand " + next.shape() + " written to a tensor of shape " + Arrays.toString(shape);
    Storage s = storage();
    s.value = next;
    s.shape = shape;
  }

  TfBackend owner() {
    return owner;
  }

  /** @return the shape without copying it; callers must not modify it */
  long[] dims() {
    return shape;
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public void close() {
    // The eager session frees the native handle once no handle reaches it (or when it closes).
    storage = null;
  }

  private Storage storage() {
    if (storage == null) {
      throw new IllegalStateException("tensor is closed");
    }
    return storage;
  }

  /** The latest operand of a tensor and its views, with the shape it was written in. */
  private static final class Storage {
    private Operand<TFloat32> value;
    private long[] shape;

    Storage(Operand<TFloat32> value, long[] shape) {
      this.value = value;
      this.shape = shape.clone();
    }
  }
}
