package org.efqat.api.backend;

/**
 * A tensor's values as {@link FloatAccess} for the parameter kernels: the backend's own storage
 * where {@link TensorOps#hostAccess} grants it, else a heap copy that {@link #commit} writes back.
 */
final class HostView {
  private final TensorOps ops;
  private final Tensor tensor;
  private final FloatAccess access;
  private final float[] copy; // null when in place or read only

  private HostView(TensorOps ops, Tensor tensor, FloatAccess access, float[] copy) {
    this.ops = ops;
    this.tensor = tensor;
    this.access = access;
    this.copy = copy;
  }

  /** A view that is only read. */
  static HostView read(TensorOps ops, Tensor t) {
    FloatAccess a = ops.hostAccess(t);
    return new HostView(ops, t, a != null ? a : FloatAccess.of(ops.toArray(t)), null);
  }

  /** A view that is read and written. */
  static HostView update(TensorOps ops, Tensor t) {
    FloatAccess a = ops.hostAccess(t);
    if (a != null) {
      return new HostView(ops, t, a, null);
    }
    float[] values = ops.toArray(t);
    return new HostView(ops, t, FloatAccess.of(values), values);
  }

  /** A view that is only written (every element). */
  static HostView write(TensorOps ops, Tensor t) {
    FloatAccess a = ops.hostAccess(t);
    if (a != null) {
      return new HostView(ops, t, a, null);
    }
    float[] values = new float[Math.toIntExact(t.size())];
    return new HostView(ops, t, FloatAccess.of(values), values);
  }

  FloatAccess access() {
    return access;
  }

  /** Writes a heap copy back into the tensor; nothing to do in place. */
  void commit() {
    if (copy != null) {
      ops.copyFrom(copy, tensor);
    }
  }
}
