/**
 * JMH benchmarks of the {@link org.efqat.api.backend.TensorOps} kernels that dominate a QAT step
 * (the sparse-row weight-gradient GEMM, convolution forward and backward as im2col/col2im plus
 * GEMM, and per-tensor fake quantization), run per backend through the backend-neutral SPI. Each
 * benchmark measures one call (or the engine's short sequence of calls) on tensors allocated in
 * {@code @Setup}; results are milliseconds per call ({@code AverageTime}). Run them with {@code
 * efqat-jmh/run-jmh}, which sets {@code OMP_WAIT_POLICY=PASSIVE} for ND4J (DESIGN.md section 3).
 */
package org.efqat.jmh;
