package org.efqat.core.profile;

/**
 * Receives the wall-clock time of each leaf layer's forward and backward pass, and of the two
 * GEMM-heavy parts of a weight layer's backward pass, while a network trains (see {@link
 * org.efqat.core.nn.Network#setProfiler}). Calls come from the training thread.
 */
public interface LayerProfiler {
  /** What a recorded time covers. */
  enum Phase {
    /** A leaf layer's whole forward pass. */
    FORWARD,
    /** A leaf layer's whole backward pass (for a weight layer it includes the two below). */
    BACKWARD,
    /** A weight layer's {@code dX} (GEMM, col2im, input-quantizer backward). */
    INPUT_GRADIENT,
    /** A weight layer's {@code dW[U]} (sparse-row GEMM, weight-quantizer backward, U rows). */
    WEIGHT_GRADIENT
  }

  /**
   * @param layer the layer's name, e.g. {@code layers.3.conv1}
   * @param phase what the time covers
   * @param nanos the elapsed time
   */
  void record(String layer, Phase phase, long nanos);
}
