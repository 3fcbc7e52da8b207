package org.efqat.backend.tf;

import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.types.TFloat32;

/**
 * The native {@link TFloat32} behind a {@link TfTensor} and every view reshaped from it, counted by
 * handles: the native tensor is closed when the last handle is released (or when the backend
 * closes, whichever comes first).
 *
 * <p>The values are row-major and the native tensor keeps whatever shape it was last written in:
 * every kernel reshapes its inputs in the graph, so only the element count matters here. A kernel
 * output {@link #replace replaces} the native tensor and closes the old one at once; {@link #write}
 * copies into the existing native buffer. Methods are synchronized because a handle's {@link
 * java.lang.ref.Cleaner} may release it from another thread.
 */
final class TfStorage {
  /** Elements zeroed per bulk write by {@link #zero()}. */
  private static final int ZERO_CHUNK = 1 << 14;

  private final TfMemory memory;
  private final long size;
  private TFloat32 tensor;
  private int handles;

  /**
   * @param memory the ledger that counts this storage while its tensor is open
   * @param tensor the native tensor; this storage owns it from now on
   */
  TfStorage(TfMemory memory, TFloat32 tensor) {
    this.memory = memory;
    this.tensor = tensor;
    this.size = tensor.shape().size();
  }

  /** Counts one more handle. */
  synchronized void retain() {
    handles++;
  }

  /** Counts one handle less, and frees the native tensor after the last one. */
  void release() {
    boolean last;
    synchronized (this) {
      last = --handles == 0;
    }
    if (last) {
      free();
    }
  }

  /**
   * @return the current native tensor; valid until the next {@link #replace} or {@link #free}
   * @throws IllegalStateException if it was freed
   */
  synchronized TFloat32 tensor() {
    if (tensor == null) {
      throw new IllegalStateException("tensor is closed");
    }
    return tensor;
  }

  /**
   * Makes {@code next} the values of this storage and closes the previous native tensor.
   *
   * @param next a tensor of {@link #size} elements in any shape; owned by this storage from now on
   *     (closed here if the storage was freed meanwhile)
   */
  synchronized void replace(TFloat32 next) {
    if (tensor == null) {
      next.close();
      throw new IllegalStateException("tensor is closed");
    }
    assert next.shape().size() == size
        : "kernel output " + next.shape() + " written to a storage of " + size + " elements";
    TFloat32 old = tensor;
    tensor = next;
    old.close();
  }

  /**
   * @param data {@link #size} values, copied into the native buffer in place
   */
  synchronized void write(float[] data) {
    if (size > 0) {
      tensor().copyFrom(DataBuffers.of(data, true, false));
    }
  }

  /**
   * @param out receives the {@link #size} values
   */
  synchronized void read(float[] out) {
    if (size > 0) {
      tensor().copyTo(DataBuffers.of(out, false, false));
    }
  }

  /** Sets every element to zero, in place, without a Java array the size of the tensor. */
  void zero() {
    fill(0f);
  }

  /**
   * Sets every element, in place, in bulk writes of a small chunk.
   *
   * @param value the value
   */
  synchronized void fill(float value) {
    if (size == 0) {
      return;
    }
    FloatDataBuffer buffer = tensor().asRawTensor().data().asFloats();
    float[] chunk = new float[(int) Math.min(size, ZERO_CHUNK)];
    java.util.Arrays.fill(chunk, value);
    for (long at = 0; at < size; at += chunk.length) {
      buffer.offset(at).write(chunk, 0, (int) Math.min(chunk.length, size - at));
    }
  }

  /**
   * @return the number of elements
   */
  long size() {
    return size;
  }

  /** Closes the native tensor now, whatever the handle count; closing twice does nothing. */
  void free() {
    TFloat32 t;
    synchronized (this) {
      t = tensor;
      tensor = null;
    }
    if (t != null) {
      t.close();
      memory.freed(this);
    }
  }
}
