package org.efqat.backend.tf;

import org.efqat.api.backend.Tensor;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A {@link Tensor} holding an eager TensorFlow operand. TensorFlow eager ops allocate their
 * outputs, so an in-place write replaces the operand this handle points to.
 */
final class TfTensor implements Tensor {
  private final TfBackend owner;
  private Operand<TFloat32> value;
  private final long[] shape;

  TfTensor(TfBackend owner, Operand<TFloat32> value, long[] shape) {
    this.owner = owner;
    this.value = value;
    this.shape = shape.clone();
  }

  Operand<TFloat32> value() {
    if (value == null) {
      throw new IllegalStateException("tensor is closed");
    }
    return value;
  }

  void replace(Operand<TFloat32> next) {
    value();
    value = next;
  }

  TfBackend owner() {
    return owner;
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public void close() {
    // The eager session owns the native handle and frees it when the backend closes.
    value = null;
  }
}
