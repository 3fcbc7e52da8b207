package org.efqat.core.ptq;

import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.efqat.core.nn.Activation;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.Parameter;
import org.efqat.core.nn.WeightLayer;

/**
 * Empirical bias correction (Nagel et al. 2019, "Data-Free Quantization Through Weight Equalization
 * and Bias Correction", section 4.2, in its empirical form as in AIMET): per weight layer, in
 * network order (earlier layers already corrected), the bias absorbs the mean output error of
 * quantization over the calibration samples,
 *
 * <pre>
 *   b[c] += mean over samples and positions of (Y_fp − Y_q)[·, c]
 * </pre>
 *
 * where {@code Y_fp} is the full-precision layer on the full-precision input and {@code Y_q} the
 * quantized layer on its input in the quantized network ({@link LayerwiseReconstruction}). After
 * it, the quantized layer's mean output error per channel on those samples is zero (up to
 * rounding).
 *
 * <p>A layer without a bias gets one ({@link WeightLayer#ensureBias()}, named {@code <layer>.bias},
 * the name BatchNorm folding gives it), so the network's quantized checkpoints hold that tensor;
 * every session path calibrates and refines before loading a quantized checkpoint, so they load
 * consistently. The report of such a layer says {@code bias added}.
 */
public final class BiasCorrectionRefinement implements PtqRefinement {
  /** The component name. */
  public static final String NAME = "bias-correction";

  private final BiasCorrectionConfig config;

  /**
   * @param config the options
   */
  public BiasCorrectionRefinement(BiasCorrectionConfig config) {
    this.config = Objects.requireNonNull(config, "config is null");
  }

  @Override
  public List<LayerReport> refine(
      Network network, CalibrationBatches calibration, RefinementContext context) {
    LayerwiseReconstruction reconstruction =
        new LayerwiseReconstruction(network, calibration, context);
    int batch = reconstruction.batchSize();
    return reconstruction.refineEachLayer(
        NAME,
        config.samples(),
        context,
        (layer, capture, t0) -> {
          UnaryOperator<Activation> quantized = x -> layer.forward(x, false);
          LayerCapture.ErrorSums before = capture.error(quantized, batch);
          boolean added = layer.bias() == null;
          Parameter bias = layer.ensureBias();
          double[] mean = before.mean(); // mean of (Y_q − Y_fp)
          float[] b = bias.value();
          for (int c = 0; c < b.length; c++) {
            b[c] = (float) (b[c] - mean[c]);
          }
          double after = capture.error(quantized, batch).mse();
          return new LayerReport(
              layer.name(),
              before.mse(),
              after,
              (System.nanoTime() - t0) / 1e9,
              added ? "bias added" : "");
        });
  }
}
