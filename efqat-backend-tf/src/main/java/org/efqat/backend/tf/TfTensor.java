package org.efqat.backend.tf;

import java.lang.ref.Cleaner;
import java.util.Arrays;
import org.efqat.api.backend.Tensor;

/**
 * A handle of one shape on a {@link TfStorage}, the native tensor it shares with every view {@link
 * #view(long[]) reshaped} from it: whichever handle is written, every handle reads the new values
 * in its own shape, like a reshaped view of a row-major buffer (kernels reshape their inputs in the
 * graph, which costs no copy).
 *
 * <p>{@link #close()} releases this handle; the native tensor is closed with the last handle of its
 * storage. A handle that becomes unreachable unclosed is released by the backend's {@link Cleaner}.
 * Code that hands a handle's native tensor to TensorFlow keeps the handle reachable until
 * TensorFlow is done (see {@link TfKernel.Call}).
 */
final class TfTensor implements Tensor {
  private final TfBackend owner;
  private final long[] shape;
  private final TfStorage storage;
  private final Cleaner.Cleanable release;
  private boolean closed;

  /**
   * @param owner the backend that made it
   * @param storage the values; this handle counts as one of its handles
   * @param shape the shape, with {@code storage.size()} elements
   */
  TfTensor(TfBackend owner, TfStorage storage, long[] shape) {
    this.owner = owner;
    this.storage = storage;
    this.shape = shape.clone();
    storage.retain();
    this.release = owner.memory().watch(this, storage::release);
  }

  /**
   * @param newShape a shape with as many elements as this tensor's
   * @return a new handle of that shape sharing this tensor's storage
   */
  TfTensor view(long[] newShape) {
    return new TfTensor(owner, storage(), newShape);
  }

  /**
   * @return the storage of the values
   * @throws IllegalStateException if this handle is closed
   */
  TfStorage storage() {
    if (closed) {
      throw new IllegalStateException("tensor is closed");
    }
    return storage;
  }

  TfBackend owner() {
    return owner;
  }

  /**
   * @return the shape without copying it; callers must not modify it
   */
  long[] dims() {
    return shape;
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      release.clean();
    }
  }

  @Override
  public String toString() {
    return "tf tensor " + Arrays.toString(shape) + (closed ? " (closed)" : "");
  }
}
