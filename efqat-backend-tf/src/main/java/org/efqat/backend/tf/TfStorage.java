package org.efqat.backend.tf;

import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * The values behind a {@link TfTensor} and every view reshaped from it, counted by handles: the
 * values are freed when the last handle is released (or when the backend closes, whichever comes
 * first). On the host they are a native {@link TFloat32}; {@link #resident() in the session} they
 * are a persistent tensor the session keeps, held here by its string handle ({@link TString}) and
 * freed through the backend's {@link TfMemory#dispose discard queue}.
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
  private final boolean resident;
  private Tensor tensor;
  private int handles;

  /**
   * @param memory the ledger that counts this storage while its tensor is open
   * @param tensor the native tensor, or the string handle of a session tensor; this storage owns it
   *     from now on
   * @param size the number of elements
   */
  TfStorage(TfMemory memory, Tensor tensor, long size) {
    this.memory = memory;
    this.tensor = tensor;
    this.size = size;
    this.resident = tensor instanceof TString;
  }

  /**
   * @return whether the values are a session tensor held by handle (else a host tensor)
   */
  boolean resident() {
    return resident;
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
   * @return what a kernel feeds for these values: the native tensor, or the session tensor's
   *     handle; valid until the next {@link #replace} or {@link #free}
   * @throws IllegalStateException if it was freed
   */
  synchronized Tensor value() {
    if (tensor == null) {
      throw new IllegalStateException("tensor is closed");
    }
    return tensor;
  }

  /**
   * @return the current native host tensor; valid until the next {@link #replace} or {@link #free}
   * @throws IllegalStateException if it was freed, or if the values live in the session
   */
  synchronized TFloat32 tensor() {
    if (resident) {
      throw new IllegalStateException("the values live in the session, not in a host buffer");
    }
    return (TFloat32) value();
  }

  /**
   * Makes {@code next} the values of this storage and frees the previous ones.
   *
   * @param next a tensor of {@link #size} elements in any shape, or a session tensor's handle (as
   *     this storage holds its values); owned by this storage from now on (freed here if the
   *     storage was freed meanwhile)
   */
  synchronized void replace(Tensor next) {
    if (tensor == null) {
      memory.dispose(next);
      throw new IllegalStateException("tensor is closed");
    }
    assert (next instanceof TString) == resident
        : "a " + (resident ? "session" : "host") + " storage replaced by the other kind";
    assert resident || next.shape().size() == size
        : "kernel output " + next.shape() + " written to a storage of " + size + " elements";
    Tensor old = tensor;
    tensor = next;
    memory.dispose(old);
  }

  /**
   * @param data {@link #size} values, copied into the native host buffer in place
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
    Tensor t;
    synchronized (this) {
      t = tensor;
      tensor = null;
    }
    if (t != null) {
      memory.dispose(t);
      memory.freed(this);
    }
  }
}
