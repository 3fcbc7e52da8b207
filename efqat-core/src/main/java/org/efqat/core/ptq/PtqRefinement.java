package org.efqat.core.ptq;

import java.util.List;
import org.efqat.core.nn.Network;

/**
 * A PTQ refinement ({@code quantization.calibration.refine}, DESIGN.md 1.3): a step that runs after
 * range calibration ({@link PtqCalibrator}) on the calibrated, quantized network and improves it in
 * place on the calibration data, for example by choosing each weight's rounding (AdaRound),
 * shifting biases (bias correction) or re-estimating activation ranges. Refinements run in the
 * order the experiment lists them, each on the network the previous one left.
 *
 * <p>A refinement may change weights, biases and quantizer parameters, and may add a bias to a
 * layer that has none ({@link org.efqat.core.nn.WeightLayer#ensureBias()}); it must leave every
 * layer quantized, not {@linkplain Network#setQuantizationBypassed bypassed}, with no input
 * observer, and must be deterministic for a given {@link RefinementContext#random()} (a resumed run
 * calibrates and refines again and must get the same network).
 */
public interface PtqRefinement {
  /**
   * @param network a network whose weight layers are all quantized and calibrated
   * @param calibration opens the calibration batches, the same samples in the same order each time;
   *     a pass opens them, starts with {@code startEpoch(0)} and reads at most {@link
   *     RefinementContext#batches()} batches
   * @param context the number of batches, the random stream and the progress listener
   * @return one report per weight layer it looked at, in network order
   */
  List<LayerReport> refine(
      Network network, CalibrationBatches calibration, RefinementContext context);
}
