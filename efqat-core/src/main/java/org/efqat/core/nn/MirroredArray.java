package org.efqat.core.nn;

import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;

/**
 * One array of a {@link Parameter} (its value or its gradient) on the Java heap and, while the
 * parameter is resident, also as a backend tensor, each copy marked current or stale: reading one
 * side first copies from the other if that one is newer, then marks the other stale (the caller may
 * write).
 */
final class MirroredArray {
  private final float[] heap;
  private Tensor tensor; // non-null while resident
  private TensorOps ops;
  private boolean heapCurrent = true;
  private boolean tensorCurrent;
  private long copies;

  /**
   * @param heap the heap array; owned from now on
   */
  MirroredArray(float[] heap) {
    this.heap = heap;
  }

  /**
   * @return the heap array, current; the tensor is stale until the next {@link #tensor()}
   */
  float[] heap() {
    if (!heapCurrent) {
      System.arraycopy(ops.toArray(tensor), 0, heap, 0, heap.length);
      heapCurrent = true;
      copies++;
    }
    tensorCurrent = false;
    return heap;
  }

  /**
   * @return the tensor, current; the heap array is stale until the next {@link #heap()}
   */
  Tensor tensor() {
    if (!tensorCurrent) {
      ops.copyFrom(heap, tensor);
      tensorCurrent = true;
      copies++;
    }
    heapCurrent = false;
    return tensor;
  }

  /**
   * Starts mirroring on a backend; the heap stays current, the tensor is filled at the first {@link
   * #tensor()}.
   */
  void attach(TensorOps backendOps, long[] shape) {
    ops = backendOps;
    tensor = backendOps.zeros(shape);
    heapCurrent = true;
    tensorCurrent = false;
  }

  /** Brings the values to the heap and frees the tensor. */
  void detach() {
    heap();
    tensor.close();
    tensor = null;
    ops = null;
  }

  /**
   * Sets every value to {@code v} where it is current: the tensor while attached, else the heap.
   */
  void fill(float v) {
    if (tensor != null) {
      ops.fill(tensor, v);
      tensorCurrent = true;
      heapCurrent = false;
    } else {
      java.util.Arrays.fill(heap, v);
    }
  }

  /**
   * @return how many times the values were copied between heap and tensor
   */
  long copies() {
    return copies;
  }
}
