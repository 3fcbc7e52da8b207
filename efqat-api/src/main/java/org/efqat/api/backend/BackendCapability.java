package org.efqat.api.backend;

/** Optional abilities a backend may declare; core checks them before relying on them. */
public enum BackendCapability {
  /** Runs on a CUDA GPU. */
  CUDA,
  /** Has half-precision tensors. */
  FP16,
  /** Has an INT8 x INT8 -> INT32 matrix multiply. */
  INT8_MATMUL,
  /**
   * Implements {@link TensorOps#conv2d}, {@link TensorOps#conv2dBackwardInput} and {@link
   * TensorOps#conv2dBackwardWeightRows} natively (no im2col rows in memory); without it, core
   * convolves with {@link TensorOps#im2col} and GEMMs.
   */
  DIRECT_CONVOLUTION
}
