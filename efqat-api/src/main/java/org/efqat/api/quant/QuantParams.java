package org.efqat.api.quant;

import java.util.Objects;

/**
 * The (learnable) parameters of a fake quantizer for one tensor, one entry per group: a group is an
 * output channel (per-channel weights) or the whole tensor (per-tensor activations). The arrays are
 * owned by the layer and updated in place by the optimizer.
 *
 * @param step the step size {@code s > 0} per group, in the tensor's units
 * @param zeroPoint the zero point {@code z} per group, in grid units (all 0 for symmetric grids)
 */
public record QuantParams(float[] step, float[] zeroPoint) {
  /** Checks the shapes. */
  public QuantParams {
    Objects.requireNonNull(step, "step is null");
    Objects.requireNonNull(zeroPoint, "zeroPoint is null");
    if (step.length != zeroPoint.length) {
      throw new IllegalArgumentException(
          "step has " + step.length + " groups but zeroPoint has " + zeroPoint.length);
    }
  }

  /**
   * @param groups the number of groups
   * @return parameters with step 1 and zero point 0
   */
  public static QuantParams ofGroups(int groups) {
    float[] s = new float[groups];
    java.util.Arrays.fill(s, 1f);
    return new QuantParams(s, new float[groups]);
  }

  /**
   * @return the number of groups
   */
  public int groups() {
    return step.length;
  }
}
