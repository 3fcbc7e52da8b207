package org.efqat.core.ptq;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.efqat.api.quant.QuantGrid;
import org.efqat.api.quant.QuantParams;
import org.efqat.api.quant.Quantizer;
import org.efqat.core.nn.Activation;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.WeightLayer;

/**
 * Activation ranges that minimize the error of the layer's <em>output</em> rather than of its
 * input: per weight layer, in network order (earlier layers already re-estimated), the per-tensor
 * input range {@code [lo, hi]} found by range calibration is shrunk by factors {@code f} from 1
 * down to {@code minFactor} ({@code lo} and {@code hi} scaled together, the quantizer's {@code
 * initialize(f·lo, f·hi)} giving step and zero point), and the candidate with the smallest output
 * error
 *
 * <pre>
 *   Σ(Ỹ − Y)²,   Ỹ = layer with quantized weights and the candidate input quantization on X_q,
 *                Y = full-precision layer on X_fp
 * </pre>
 *
 * over the captured calibration samples ({@link LayerwiseReconstruction}) wins. The calibrated
 * parameters themselves are the first candidate, and a shrunk range replaces them only when its
 * error is strictly smaller, so the result is never worse on those samples than the calibrated
 * range. The range is read back from the calibrated step {@code s} and zero point {@code z} as
 * {@code [s·(qmin − z), s·(qmax − z)]} (the affine parametrization of DESIGN.md 1.1). Only weight
 * layers' input quantizers are re-estimated; other activation quantizers (attention's matmul
 * operands) keep their calibrated ranges.
 */
public final class OutputMseRefinement implements PtqRefinement {
  /** The component name. */
  public static final String NAME = "output-mse";

  private final OutputMseConfig config;

  /**
   * @param config the options
   */
  public OutputMseRefinement(OutputMseConfig config) {
    this.config = Objects.requireNonNull(config, "config is null");
  }

  @Override
  public List<LayerReport> refine(
      Network network, CalibrationBatches calibration, RefinementContext context) {
    LayerwiseReconstruction reconstruction =
        new LayerwiseReconstruction(network, calibration, context);
    int batch = reconstruction.batchSize();
    return reconstruction.refineEachLayer(
        NAME, config.samples(), context, (layer, capture, t0) -> search(layer, capture, batch, t0));
  }

  private LayerReport search(WeightLayer layer, LayerCapture capture, int batch, long t0) {
    UnaryOperator<Activation> quantized = x -> layer.forward(x, false);
    float[] step = layer.inputStep().value();
    float[] zero = layer.inputZeroPoint().value();
    float s0 = step[0];
    float z0 = zero[0];
    Quantizer q = layer.quantization().inputs();
    QuantGrid grid = q.grid();
    float lo = s0 * (grid.qmin() - z0);
    float hi = s0 * (grid.qmax() - z0);
    double calibrated = capture.error(quantized, batch).mse();
    double best = calibrated;
    double bestFactor = 1;
    float bestStep = s0;
    float bestZero = z0;
    for (double f : config.factors()) {
      QuantParams p = q.initialize(new float[] {(float) (lo * f)}, new float[] {(float) (hi * f)});
      step[0] = p.step()[0];
      zero[0] = p.zeroPoint()[0];
      double e = capture.error(quantized, batch).mse();
      if (e < best) {
        best = e;
        bestFactor = f;
        bestStep = step[0];
        bestZero = zero[0];
      }
    }
    step[0] = bestStep;
    zero[0] = bestZero;
    String note =
        best < calibrated
            ? String.format(Locale.ROOT, "input range x%.2f", bestFactor)
            : "calibrated input range kept";
    return new LayerReport(layer.name(), calibrated, best, (System.nanoTime() - t0) / 1e9, note);
  }
}
