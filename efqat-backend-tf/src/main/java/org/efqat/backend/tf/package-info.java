/**
 * The TensorFlow Java backend ({@code backend: tf}): dense FP32 kernels in TensorFlow graph mode on
 * the CPU native build. One graph and one session per backend; every operation is a small subgraph
 * built once per signature and run as one session call, with per-call scalars fed rather than built
 * in, so the graph stops growing after the first step. Tensors own their native buffers explicitly
 * and free them on close (a {@link java.lang.ref.Cleaner} catches handles nobody closed), so native
 * memory stays flat over a long run.
 */
package org.efqat.backend.tf;
