package org.efqat.backend.nd4j;

import org.efqat.api.backend.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A {@link Tensor} backed by a C-ordered FP32 {@link INDArray}. */
final class Nd4jTensor implements Tensor {
  private final Nd4jBackend owner;
  private INDArray array;

  Nd4jTensor(Nd4jBackend owner, INDArray array) {
    this.owner = owner;
    this.array = array;
  }

  INDArray array() {
    if (array == null) {
      throw new IllegalStateException("tensor is closed");
    }
    return array;
  }

  Nd4jBackend owner() {
    return owner;
  }

  @Override
  public long[] shape() {
    return array().shape().clone();
  }

  @Override
  public void close() {
    if (array != null) {
      if (!array.wasClosed() && array.closeable()) {
        array.close();
      }
      array = null;
    }
  }
}
