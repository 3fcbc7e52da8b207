package org.efqat.api.backend;

/** Optional abilities a backend may declare; core checks them before relying on them. */
public enum BackendCapability {
  /** Runs on a CUDA GPU. */
  CUDA,
  /** Has half-precision tensors. */
  FP16,
  /** Has an INT8 x INT8 -> INT32 matrix multiply. */
  INT8_MATMUL
}
