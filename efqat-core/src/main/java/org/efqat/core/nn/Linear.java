package org.efqat.core.nn;

import org.efqat.api.backend.Backend;

/**
 * A fully connected layer {@code [n, C_in] → [n, C_out]} (a 1×1 convolution on {@code [n, 1, 1,
 * C_in]}). Checkpoint names: {@code <name>.weight} {@code [C_out, C_in]}, {@code <name>.bias}.
 */
public final class Linear extends WeightLayer {
  /**
   * @param backend where it computes
   * @param name the checkpoint prefix
   * @param inFeatures {@code C_in}
   * @param outFeatures {@code C_out}
   * @param weights initial weights {@code [C_out, C_in]}
   */
  public Linear(Backend backend, String name, int inFeatures, int outFeatures, float[] weights) {
    super(backend, name, inFeatures, outFeatures, 1, 1, 0, true, weights);
  }
}
