/**
 * The ND4J backend ({@code backend: nd4j}): dense FP32 kernels on ND4J's native CPU build (OpenBLAS
 * GEMM). Set {@code OMP_WAIT_POLICY=PASSIVE} on small machines (DESIGN.md section 3).
 */
package org.efqat.backend.nd4j;
