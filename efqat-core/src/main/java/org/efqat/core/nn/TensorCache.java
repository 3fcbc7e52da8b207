package org.efqat.core.nn;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.Tensor;

/**
 * A layer's reusable work buffers, by role: a buffer is reallocated only when the shape it is asked
 * for changes (for example the last, smaller batch of an epoch).
 */
public final class TensorCache {
  private final Backend backend;
  private final Map<String, Tensor> tensors = new HashMap<>();

  /**
   * @param backend where the buffers live
   */
  public TensorCache(Backend backend) {
    this.backend = backend;
  }

  /**
   * @return the backend
   */
  public Backend backend() {
    return backend;
  }

  /**
   * @param role what the buffer is for, unique within the layer
   * @param shape the shape wanted
   * @return the buffer for {@code role}, reallocated (zeros) if its shape changed
   */
  public Tensor get(String role, long... shape) {
    Tensor t = tensors.get(role);
    if (t == null || !Arrays.equals(t.shape(), shape)) {
      if (t != null) {
        t.close();
      }
      t = backend.ops().zeros(shape);
      tensors.put(role, t);
    }
    return t;
  }

  /** Closes every buffer. */
  public void release() {
    tensors.values().forEach(Tensor::close);
    tensors.clear();
  }
}
