package org.efqat.core.ptq;

import java.util.Objects;

/**
 * What a {@link PtqRefinement} did to one weight layer, measured on the captured calibration
 * samples: the layer's output mean squared error against the full-precision layer on the
 * full-precision input, {@code Σ(Ỹ − Y)² / (M·C_out)} over {@code M} output positions, before and
 * after the refinement (for AdaRound: with nearest rounding and with the learned rounding).
 *
 * @param layer the layer's name
 * @param mseBefore the output MSE before, in squared output units; NaN when not measured
 * @param mseAfter the output MSE after; NaN when not measured
 * @param seconds wall time spent on the layer
 * @param note what was chosen or why the layer was left alone, for example {@code "range x0.74"},
 *     {@code "bias added"}, {@code "kept nearest rounding"}; empty when there is nothing to say
 */
public record LayerReport(
    String layer, double mseBefore, double mseAfter, double seconds, String note) {
  /** Checks for nulls. */
  public LayerReport {
    Objects.requireNonNull(layer, "layer is null");
    note = note == null ? "" : note;
  }

  /**
   * @return the same report with {@code seconds} 0 (what two runs must agree on)
   */
  public LayerReport withoutTimings() {
    return new LayerReport(layer, mseBefore, mseAfter, 0, note);
  }
}
