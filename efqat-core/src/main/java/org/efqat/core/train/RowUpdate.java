package org.efqat.core.train;

import org.efqat.core.nn.ParamKind;
import org.efqat.core.nn.Parameter;

/** Shared rules of the optimizers: which rows to touch, what decays, and keeping steps positive. */
final class RowUpdate {
  /** Quantizer steps are kept at least this large. */
  static final float MIN_STEP = 1e-8f;

  private RowUpdate() {}

  /**
   * @return the rows to update, strictly increasing, or {@code null} for every row
   */
  static int[] rows(Parameter p) {
    return p.activeRows();
  }

  /**
   * @return how many rows an update touches
   */
  static int count(Parameter p) {
    int[] active = p.activeRows();
    return active == null ? p.rows() : active.length;
  }

  static boolean decays(Parameter p) {
    return p.kind() == ParamKind.WEIGHT;
  }

  /**
   * @return the floor of updated values: {@link #MIN_STEP} for quantizer steps (kept positive),
   *     else none
   */
  static float floor(Parameter p) {
    return p.kind() == ParamKind.WEIGHT_STEP || p.kind() == ParamKind.ACTIVATION_STEP
        ? MIN_STEP
        : Float.NEGATIVE_INFINITY;
  }
}
