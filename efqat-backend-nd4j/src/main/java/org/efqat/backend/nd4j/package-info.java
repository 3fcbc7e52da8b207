/**
 * The ND4J backend ({@code backend: nd4j}): dense FP32 kernels on ND4J's native builds: libnd4j's
 * oneDNN build by default (direct convolution, {@link Nd4jConvolution}), the generic one (im2col
 * and OpenBLAS GEMM) or, with the Maven profile {@code gpu}, CUDA. The window, fake-quantization,
 * per-channel and parameter kernels run as Java loops over host buffers on the CPU builds or as
 * ND4J operations ({@link DeviceOpKernels}, {@link DeviceParameterKernels}) on CUDA ({@link
 * Nd4jBackendConfig}). Set {@code OMP_WAIT_POLICY=PASSIVE} on small machines (DESIGN.md section 3).
 */
package org.efqat.backend.nd4j;
