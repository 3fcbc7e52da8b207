/**
 * The TensorFlow Java backend ({@code backend: tf}): dense FP32 kernels as eager TensorFlow ops on
 * the CPU native build.
 */
package org.efqat.backend.tf;
