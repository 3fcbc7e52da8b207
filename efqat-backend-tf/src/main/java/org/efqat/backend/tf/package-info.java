/**
 * The TensorFlow Java backend ({@code backend: tf}): dense FP32 kernels in TensorFlow graph mode,
 * on the CPU native build or (Maven profile {@code gpu}) the GPU one. One graph and one session per
 * backend; every operation is a small subgraph built once per signature and run as one session
 * call, with per-call scalars fed rather than built in, so the graph stops growing after the first
 * step. Tensors own their native buffers explicitly and free them on close (a {@link
 * java.lang.ref.Cleaner} catches handles nobody closed), so native memory stays flat over a long
 * run. Where tensors live between kernel calls is the kernel placement ({@link TfBackendConfig}):
 * host buffers fed to each run, with some kernels as Java passes over them ({@link TfHostKernels},
 * the CPU default), or session tensors held by handle with every kernel a graph operation ({@link
 * TfDeviceKernels}, the GPU default).
 */
package org.efqat.backend.tf;
