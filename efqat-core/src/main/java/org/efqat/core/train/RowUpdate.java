package org.efqat.core.train;

import org.efqat.core.nn.ParamKind;
import org.efqat.core.nn.Parameter;

/** Shared helpers of the optimizers: which rows to touch, and keeping steps positive. */
final class RowUpdate {
  /** Quantizer steps are kept at least this large. */
  static final float MIN_STEP = 1e-8f;

  private RowUpdate() {}

  /**
   * @return the rows to update: the active rows, or all
   */
  static int[] rows(Parameter p) {
    int[] active = p.activeRows();
    if (active != null) {
      return active;
    }
    int[] all = new int[p.rows()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    return all;
  }

  static boolean decays(Parameter p) {
    return p.kind() == ParamKind.WEIGHT;
  }

  /** Keeps step sizes positive after an update. */
  static void clampSteps(Parameter p) {
    if (p.kind() == ParamKind.WEIGHT_STEP || p.kind() == ParamKind.ACTIVATION_STEP) {
      float[] v = p.value();
      for (int i = 0; i < v.length; i++) {
        v[i] = Math.max(v[i], MIN_STEP);
      }
    }
  }
}
