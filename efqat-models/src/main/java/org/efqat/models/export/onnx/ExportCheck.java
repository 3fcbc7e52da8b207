package org.efqat.models.export.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The exported model against the network it came from, on the same test samples: accuracy of each
 * and how far the logits are apart.
 *
 * @param samples test samples compared
 * @param networkAccuracy top-1 accuracy of EfQAT-Java's fake-quantized network, in [0, 1]
 * @param onnxAccuracy top-1 accuracy of the ONNX model in ONNX Runtime, in [0, 1]
 * @param maxAbsDifference {@code max |logit_onnx − logit_network|} over every sample and class
 * @param meanAbsDifference the mean of {@code |logit_onnx − logit_network|}
 * @param maxAbsLogit {@code max |logit_network|}, the scale the differences compare to
 * @param argmaxDisagreements samples whose top-1 class differs between the two
 * @param runtime the ONNX Runtime version and the optimization level, e.g. {@code 1.29.0, ALL}
 */
public record ExportCheck(
    int samples,
    double networkAccuracy,
    double onnxAccuracy,
    double maxAbsDifference,
    double meanAbsDifference,
    double maxAbsLogit,
    int argmaxDisagreements,
    String runtime) {

  /**
   * @param tolerance the limits
   * @return one line per limit exceeded; empty when the check passes
   */
  public List<String> failures(ExportTolerance tolerance) {
    List<String> f = new ArrayList<>();
    double points = Math.abs(onnxAccuracy - networkAccuracy) * 100;
    if (points > tolerance.accuracyPoints() + 1e-9) { // 1 of 1000 samples is 0.1 point, not more
      f.add(
          String.format(
              Locale.ROOT,
              "accuracy differs by %.2f points (ONNX Runtime %.2f%%, EfQAT-Java %.2f%%; at most"
                  + " %.2f allowed)",
              points,
              onnxAccuracy * 100,
              networkAccuracy * 100,
              tolerance.accuracyPoints()));
    }
    double scale = Math.max(1, maxAbsLogit);
    if (!(meanAbsDifference <= tolerance.meanLogits() * scale)) {
      f.add(
          "logits differ by "
              + number(meanAbsDifference)
              + " on average (at most "
              + number(tolerance.meanLogits() * scale)
              + " allowed: "
              + number(tolerance.meanLogits())
              + "·L, L = "
              + number(scale)
              + ")");
    }
    if (!(maxAbsDifference <= tolerance.maxLogits() * scale)) {
      f.add(
          "logits differ by up to "
              + number(maxAbsDifference)
              + " (at most "
              + number(tolerance.maxLogits() * scale)
              + " allowed: "
              + number(tolerance.maxLogits())
              + "·L, L = "
              + number(scale)
              + ")");
    }
    return f;
  }

  /**
   * @param v a number
   * @return it with 3 significant digits and no trailing zeros, e.g. {@code 0.004}, {@code 2.4e-07}
   */
  static String number(double v) {
    String s = String.format(Locale.ROOT, "%.3g", v);
    if (s.contains("e") || !s.contains(".")) {
      return s;
    }
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}
