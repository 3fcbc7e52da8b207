package org.efqat.models.export.onnx;

/**
 * How far an exported model may be from its network and still pass ({@link ExportCheck#failures}).
 * Logit differences are relative to {@code L = max(1, max |logit|)} of the network on the samples.
 *
 * <p>Why two logit bounds: the model and the network compute the same function, but their FP32 sums
 * run in different orders (ONNX Runtime's kernels against our backend's), about 1e-7 apart relative
 * to the values. Where a value about to be quantized lies that close to a rounding boundary, the
 * two round it to neighbouring levels, one step {@code s} apart, and the difference travels on
 * through the layers. Such flips are rare and leave the mean difference small, but they set the
 * maximum over thousands of samples: measured up to a mean of 1.2e-3·L (all-MiniLM-L6-v2 at W4A8,
 * 8212 samples), a maximum of 0.23·L (the same at W4A4) and a maximum of 0.075·L on a 4-bit
 * ResNet-20 (README, "Export"). A wrong export (a scale, a zero point, a layout, a missing bias)
 * moves every sample; even ONNX Runtime's own integer approximation of a W4A4 ResNet-20 ({@code
 * QLinearConv}, INT32 biases) moves the mean by 0.02·L. So the mean is the sharp test and the
 * maximum a loose one.
 *
 * @param meanLogits the largest mean {@code |Δlogit|} allowed, times {@code L}
 * @param maxLogits the largest {@code |Δlogit|} allowed, times {@code L}
 * @param accuracyPoints the largest accuracy difference allowed, in percentage points
 */
public record ExportTolerance(double meanLogits, double maxLogits, double accuracyPoints) {
  /** The default mean logit tolerance, relative to {@code L}. */
  public static final double DEFAULT_MEAN_LOGITS = 5e-3;

  /** The default maximum logit tolerance, relative to {@code L}. */
  public static final double DEFAULT_MAX_LOGITS = 0.5;

  /** The default accuracy tolerance: 0.1 percentage points. */
  public static final double DEFAULT_ACCURACY_POINTS = 0.1;

  /** The defaults. */
  public static final ExportTolerance DEFAULT =
      new ExportTolerance(DEFAULT_MEAN_LOGITS, DEFAULT_MAX_LOGITS, DEFAULT_ACCURACY_POINTS);

  /** Checks the values. */
  public ExportTolerance {
    if (!(meanLogits >= 0) || !(maxLogits >= 0) || !(accuracyPoints >= 0)) {
      throw new IllegalArgumentException(
          "tolerances must be >= 0 (were mean "
              + meanLogits
              + ", max "
              + maxLogits
              + ", accuracy "
              + accuracyPoints
              + ")");
    }
  }

  /**
   * @return the rule, for messages, e.g. {@code mean |Δ| ≤ 0.001·L, max |Δ| ≤ 0.25·L, accuracy ±
   *     0.1 points}
   */
  public String describe() {
    return "mean |Δ| <= "
        + meanLogits
        + "·L, max |Δ| <= "
        + maxLogits
        + "·L (L = max(1, max |logit|)), accuracy within "
        + accuracyPoints
        + " points";
  }
}
