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
final class TensorCache {
  private final Backend backend;
  private final Map<String, Tensor> tensors = new HashMap<>();

  TensorCache(Backend backend) {
    this.backend = backend;
  }

  Backend backend() {
    return backend;
  }

  Tensor get(String role, long... shape) {
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

  void release() {
    tensors.values().forEach(Tensor::close);
    tensors.clear();
  }
}
