package org.efqat.core.profile;

/** The timed {@link org.efqat.api.backend.TensorOps} kernels (reshape is a view and not timed). */
public enum Kernel {
  FROM_ARRAY,
  ZEROS,
  TO_ARRAY,
  COPY_FROM,
  GEMM,
  /** The EfQAT weight gradient {@code dW[U] = dY[:, U]ᵀ·X} over the unfrozen rows only. */
  SPARSE_ROW_WEIGHT_GRADIENT,
  /** Direct convolution forward (backends with DIRECT_CONVOLUTION). */
  CONV2D,
  /** Direct convolution input gradient. */
  CONV2D_BACKWARD_INPUT,
  /** Direct convolution weight gradient over the unfrozen rows only. */
  CONV2D_BACKWARD_WEIGHT_ROWS,
  IM2COL,
  COL2IM,
  ADD,
  RELU,
  RELU_BACKWARD,
  COLUMN_SUMS,
  COLUMN_DOTS,
  COLUMN_AFFINE,
  COLUMN_AFFINE2,
  GLOBAL_AVG_POOL,
  GLOBAL_AVG_POOL_BACKWARD,
  MAX_POOL,
  MAX_POOL_BACKWARD,
  AVG_POOL,
  AVG_POOL_BACKWARD,
  FAKE_QUANTIZE,
  FAKE_QUANTIZE_BACKWARD,
  MIN_MAX,
  /** Drawing a dropout mask on the backend. */
  DROPOUT_MASK,
  /** Setting every element (zeroing resident gradients). */
  FILL,
  /** Scanning for NaN and infinity. */
  FIRST_NON_FINITE,
  /** Per-row weight fake quantization on the backend. */
  FAKE_QUANTIZE_ROWS,
  /** Its straight-through and LSQ backward pass over the unfrozen rows. */
  FAKE_QUANTIZE_ROWS_BACKWARD,
  /** The row-masked SGD update on the backend. */
  SGD_UPDATE,
  /** The row-masked AdamW update on the backend. */
  ADAMW_UPDATE,
  BATCHED_GEMM,
  SWAP_MIDDLE_AXES,
  GATHER_ROWS,
  SCATTER_ADD_ROWS,
  MULTIPLY,
  GELU,
  GELU_BACKWARD,
  NORMALIZE_ROWS,
  NORMALIZE_ROWS_BACKWARD,
  MASKED_SOFTMAX,
  SOFTMAX_BACKWARD
}
