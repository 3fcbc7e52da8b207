package org.efqat.core.nn;

/** What a parameter is; decides which optimizer rules and freezing apply to it. */
public enum ParamKind {
  /** A weight matrix {@code [C_out, K]}: trains only in its unfrozen rows. */
  WEIGHT,
  /** A layer bias {@code [C_out]}: cheap, always trains by default. */
  BIAS,
  /** BatchNorm or LayerNorm scale γ. */
  NORM_SCALE,
  /** BatchNorm or LayerNorm shift β. */
  NORM_SHIFT,
  /**
   * An embedding table {@code [V, D]} (token, position, token type): not quantized; a step only
   * changes the rows the batch looked up.
   */
  EMBEDDING,
  /** The weight quantizer's per-row step: trains only in the unfrozen rows. */
  WEIGHT_STEP,
  /** The input (activation) quantizer's step. */
  ACTIVATION_STEP,
  /** The input (activation) quantizer's zero point. */
  ACTIVATION_ZERO_POINT,
  /** A statistic that never receives a gradient (BatchNorm running mean and variance). */
  BUFFER
}
