package org.efqat.api.backend;

/**
 * The dense FP32 kernels of a backend. Shapes are checked; a mismatch throws {@link
 * IllegalArgumentException} naming the shapes. Output tensors are written in place so that callers
 * can reuse buffers on hot paths.
 */
public interface TensorOps {

  /**
   * @param data values in row-major order; copied
   * @param shape the shape, product equal to {@code data.length}
   * @return a new tensor
   */
  Tensor fromArray(float[] data, long... shape);

  /**
   * @param shape the shape
   * @return a new tensor of zeros
   */
  Tensor zeros(long... shape);

  /**
   * @param tensor a tensor of this backend
   * @return its values in row-major order; a copy
   */
  float[] toArray(Tensor tensor);

  /**
   * General matrix multiply {@code c = alpha·op(a)·op(b) + beta·c} for 2-D tensors, where {@code
   * op(m)} is {@code m} or its transpose.
   *
   * @param a {@code [M, K]}, or {@code [K, M]} when {@code transposeA}
   * @param transposeA whether to use {@code aᵀ}
   * @param b {@code [K, N]}, or {@code [N, K]} when {@code transposeB}
   * @param transposeB whether to use {@code bᵀ}
   * @param c {@code [M, N]}, overwritten
   * @param alpha the product's factor
   * @param beta the factor of the previous {@code c}; 0 ignores it (even NaN)
   */
  void gemm(
      Tensor a, boolean transposeA, Tensor b, boolean transposeB, Tensor c, float alpha,
      float beta);

  /**
   * The sparse-row weight-gradient GEMM of EfQAT (DESIGN.md 1.1): {@code dW[U] = dY[:, U]ᵀ · X}
   * for the unfrozen rows {@code U} only. The frozen rows of {@code dW} are neither computed nor
   * written, so the work is proportional to {@code |U|}.
   *
   * @param gradOut {@code dY}, shape {@code [N, C_out]} (N samples or output positions)
   * @param input {@code X̂}, shape {@code [N, K]}
   * @param rows the unfrozen rows {@code U}, strictly increasing, within {@code [0, C_out)}; may be
   *     empty
   * @param gradWeight {@code dW}, shape {@code [C_out, K]}; rows in {@code U} are overwritten,
   *     the others keep their values bit for bit
   */
  void sparseRowWeightGradient(Tensor gradOut, Tensor input, int[] rows, Tensor gradWeight);
}
