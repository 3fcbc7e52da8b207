package org.efqat.core.ptq;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.efqat.api.backend.Tensor;
import org.efqat.api.quant.QuantGrid;
import org.efqat.api.quant.Quantizer;
import org.efqat.core.nn.Activation;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.WeightLayer;

/**
 * AdaRound (Nagel et al. 2020, "Up or Down? Adaptive Rounding for Post-Training Quantization"): per
 * weight layer, in network order, learns whether each weight rounds up or down so that the
 * quantized layer reconstructs the full-precision layer's output on the calibration data.
 *
 * <p>For a layer with per-row weight step {@code s} and zero point {@code z} (from range
 * calibration, kept unchanged) and integer grid {@code [qmin, qmax]}, the soft-quantized weights
 * are
 *
 * <pre>
 *   W̃ = s·(clamp(⌊W/s + z⌋ + h(V), qmin, qmax) − z),   h(V) = clamp(σ(V)·(ζ − γ) + γ, 0, 1)
 * </pre>
 *
 * with {@code ζ = 1.1}, {@code γ = −0.1} (the rectified sigmoid), {@code V} initialized so that
 * {@code h(V)} is the fractional part of {@code W/s + z}. The loss on a mini-batch of {@code M}
 * output positions is the reconstruction error plus the rounding regularizer,
 *
 * <pre>
 *   L = Σ(Ỹ − Y)² / M  +  λ·Σ(1 − |2h(V) − 1|^β)
 * </pre>
 *
 * where {@code Ỹ} is the layer with {@code W̃} (and its input quantizer) on {@code X_q}, the input
 * in the quantized network whose earlier layers are already rounded (asymmetric reconstruction),
 * and {@code Y} is the full-precision layer on the full-precision input ({@link
 * LayerwiseReconstruction}). The regularizer is off for the first {@code warmup} fraction of the
 * steps; then {@code β} anneals linearly from {@code betaStart} to {@code betaEnd}. Adam updates
 * {@code V} only, with {@code ∂L/∂V = ∂L/∂W̃ · s · σ'(V)(ζ − γ)} where {@code 0 < h < 1} and the
 * clamp to the grid is inactive ({@code ∂L/∂W̃} from {@link WeightLayer#weightGradientOf}).
 *
 * <p>At the end the decisions become hard ({@code h = 1} where {@code h(V) ≥ 0.5}, i.e. {@code V ≥
 * 0}) and are <b>baked into the weights</b>: {@code W ← s·(clamp(⌊W/s + z⌋ + h, qmin, qmax) − z)}.
 * These weights lie exactly on the grid, so the layer's weight quantizer reproduces AdaRound's
 * choices bit for bit (nearest rounding of an on-grid value is that value). Baking keeps one weight
 * tensor per layer (checkpoints and export need nothing new) and lets EfQAT's LSQ training start
 * from the baked latent weights, frozen rows keeping exactly AdaRound's rounding. Should the hard
 * rounding reconstruct the captured samples worse than nearest rounding, the layer keeps nearest
 * rounding (baked as well, so every layer's weights end on its grid) and the report says so.
 */
public final class AdaRoundRefinement implements PtqRefinement {
  /** The component name. */
  public static final String NAME = "adaround";

  /** {@code ζ}, the stretch of the rectified sigmoid above 1. */
  static final double ZETA = 1.1;

  /** {@code γ}, the stretch of the rectified sigmoid below 0. */
  static final double GAMMA = -0.1;

  private static final double ADAM_BETA1 = 0.9;
  private static final double ADAM_BETA2 = 0.999;
  private static final double ADAM_EPS = 1e-8;

  private final AdaRoundConfig config;

  /**
   * @param config the options
   */
  public AdaRoundRefinement(AdaRoundConfig config) {
    this.config = Objects.requireNonNull(config, "config is null");
  }

  @Override
  public List<LayerReport> refine(
      Network network, CalibrationBatches calibration, RefinementContext context) {
    LayerwiseReconstruction reconstruction =
        new LayerwiseReconstruction(network, calibration, context);
    SplittableRandom random = context.random();
    int evalBatch = reconstruction.batchSize();
    return reconstruction.refineEachLayer(
        NAME,
        config.samples(),
        context,
        (layer, capture, t0) -> {
          Rounding rounding = Rounding.of(layer);
          UnaryOperator<Activation> quantized = x -> layer.forward(x, false);
          double nearest = capture.error(quantized, evalBatch).mse();
          optimize(layer, capture, rounding, random);
          rounding.bake(layer.weight().value(), false);
          double learned = capture.error(quantized, evalBatch).mse();
          double after = learned;
          String note = "";
          if (!(learned <= nearest)) {
            rounding.bake(layer.weight().value(), true);
            after = nearest;
            note =
                String.format(
                    Locale.ROOT, "kept nearest rounding (AdaRound's output MSE %.4g)", learned);
          }
          return new LayerReport(
              layer.name(), nearest, after, (System.nanoTime() - t0) / 1e9, note);
        });
  }

  /** Adam on {@code V} for {@code iterations} mini-batches drawn from the capture. */
  private void optimize(
      WeightLayer layer, LayerCapture capture, Rounding rounding, SplittableRandom random) {
    int n = rounding.size();
    float[] soft = new float[n];
    double[] grad = new double[n];
    double[] m = new double[n];
    double[] v = new double[n];
    int[] idx = new int[Math.min(config.batchSize(), capture.samples())];
    int iterations = config.iterations();
    int warmupSteps = (int) (config.warmup() * iterations);
    double b1t = 1;
    double b2t = 1;
    for (int t = 0; t < iterations; t++) {
      for (int j = 0; j < idx.length; j++) {
        idx[j] = random.nextInt(capture.samples());
      }
      rounding.softWeights(soft);
      Activation out = layer.forwardWithWeights(capture.inputs(idx), soft);
      long positions = out.shape().matrix()[0];
      Tensor dy = capture.residual(out, capture.targets(idx), (float) (2.0 / positions));
      float[] dw = layer.weightGradientOf(new Activation(dy, out.shape()));
      double beta = Double.NaN;
      if (t >= warmupSteps && config.regularization() > 0) {
        double rel = (double) (t - warmupSteps) / Math.max(1, iterations - warmupSteps);
        beta = config.betaEnd() + (config.betaStart() - config.betaEnd()) * Math.max(0, 1 - rel);
      }
      rounding.gradient(dw, config.regularization(), beta, grad);
      b1t *= ADAM_BETA1;
      b2t *= ADAM_BETA2;
      double lr = config.lr();
      double[] vars = rounding.variables();
      for (int i = 0; i < n; i++) {
        double g = grad[i];
        m[i] = ADAM_BETA1 * m[i] + (1 - ADAM_BETA1) * g;
        v[i] = ADAM_BETA2 * v[i] + (1 - ADAM_BETA2) * g * g;
        double mHat = m[i] / (1 - b1t);
        double vHat = v[i] / (1 - b2t);
        vars[i] -= lr * mHat / (Math.sqrt(vHat) + ADAM_EPS);
      }
    }
  }

  /**
   * One layer's rounding state: {@code ⌊W/s + z⌋}, the rounding variables {@code V} and, after
   * {@link #softWeights}, the values the gradient needs.
   */
  static final class Rounding {
    private final int rows;
    private final int k;
    private final float[] step;
    private final float[] zero;
    private final int qmin;
    private final int qmax;
    private final float[] floor;
    private final float[] nearest;
    private final double[] vars;
    private final double[] sigmoid;

    private Rounding(float[] w, float[] step, float[] zero, QuantGrid grid) {
      this.rows = step.length;
      this.k = w.length / rows;
      this.step = step.clone();
      this.zero = zero.clone();
      this.qmin = grid.qmin();
      this.qmax = grid.qmax();
      this.floor = new float[w.length];
      this.nearest = new float[w.length];
      this.vars = new double[w.length];
      this.sigmoid = new double[w.length];
      for (int r = 0; r < rows; r++) {
        float inv = 1f / step[r];
        for (int i = r * k; i < (r + 1) * k; i++) {
          float u = w[i] * inv + zero[r]; // exactly as the affine quantizer computes it
          floor[i] = (float) Math.floor(u);
          nearest[i] = (float) Math.rint(u);
          double frac = u - floor[i];
          double sig = (frac - GAMMA) / (ZETA - GAMMA); // h(V) = frac
          vars[i] = Math.log(sig / (1 - sig));
        }
      }
    }

    /**
     * @param layer a quantized layer with an affine weight quantizer
     * @return its rounding, initialized from its latent weights and calibrated weight steps
     * @throws CalibrationException if the weight quantizer is not affine
     */
    static Rounding of(WeightLayer layer) {
      Quantizer q = layer.quantization() == null ? null : layer.quantization().weights();
      if (q == null || !q.isAffine()) {
        throw new CalibrationException(
            "PTQ refinement "
                + NAME
                + ": layer "
                + layer.name()
                + (q == null
                    ? " is not quantized"
                    : " has a weight quantizer that is not an affine grid quantizer (lsq,"
                        + " lsq-plus, fixed-ste are)"));
      }
      return new Rounding(
          layer.weight().value(),
          layer.weightStep().value(),
          layer.weightZeroPoint().value(),
          q.grid());
    }

    int size() {
      return vars.length;
    }

    /**
     * @return {@code V}, live
     */
    double[] variables() {
      return vars;
    }

    /**
     * @param out receives {@code W̃ = s·(clamp(⌊W/s + z⌋ + h(V), qmin, qmax) − z)}
     */
    void softWeights(float[] out) {
      for (int r = 0; r < rows; r++) {
        float s = step[r];
        float z = zero[r];
        for (int i = r * k; i < (r + 1) * k; i++) {
          double sig = 1 / (1 + Math.exp(-vars[i]));
          sigmoid[i] = sig;
          double h = Math.min(1, Math.max(0, sig * (ZETA - GAMMA) + GAMMA));
          double q = Math.min(qmax, Math.max(qmin, floor[i] + h));
          out[i] = (float) (s * (q - z));
        }
      }
    }

    /**
     * {@code ∂L/∂V} after {@link #softWeights}.
     *
     * @param dw {@code ∂L_rec/∂W̃}, {@code [C_out, K]}
     * @param lambda the regularizer's weight
     * @param beta the regularizer's exponent, or NaN while it is off (warm-up)
     * @param out receives the gradient
     */
    void gradient(float[] dw, double lambda, double beta, double[] out) {
      boolean regularize = !Double.isNaN(beta);
      for (int r = 0; r < rows; r++) {
        double s = step[r];
        for (int i = r * k; i < (r + 1) * k; i++) {
          double sig = sigmoid[i];
          double hRaw = sig * (ZETA - GAMMA) + GAMMA;
          if (!(hRaw > 0 && hRaw < 1)) {
            out[i] = 0;
            continue;
          }
          double q = floor[i] + hRaw;
          double dh = q >= qmin && q <= qmax ? dw[i] * s : 0;
          if (regularize && hRaw != 0.5) {
            double u = 2 * hRaw - 1;
            double a = Math.abs(u);
            // d/dh (1 − |2h − 1|^β) = −2β·|2h − 1|^(β−1)·sign(2h − 1)
            dh -= lambda * 2 * beta * Math.pow(a, beta - 1) * Math.signum(u);
          }
          out[i] = dh * (ZETA - GAMMA) * sig * (1 - sig);
        }
      }
    }

    /**
     * Writes on-grid weights: {@code s·(clamp(⌊W/s + z⌋ + h, qmin, qmax) − z)} with the hard
     * decisions {@code h = [V ≥ 0]}, or nearest rounding {@code s·(clamp(rint(W/s + z)) − z)}.
     *
     * @param w the layer's latent weights, overwritten
     * @param nearestRounding bake nearest rounding instead of the learned decisions
     */
    void bake(float[] w, boolean nearestRounding) {
      for (int r = 0; r < rows; r++) {
        float s = step[r];
        float z = zero[r];
        for (int i = r * k; i < (r + 1) * k; i++) {
          float q = nearestRounding ? nearest[i] : floor[i] + (vars[i] >= 0 ? 1f : 0f);
          q = Math.max(qmin, Math.min(qmax, q));
          w[i] = s * (q - z);
        }
      }
    }
  }
}
