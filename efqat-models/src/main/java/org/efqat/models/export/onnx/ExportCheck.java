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
    if (points > tolerance.accuracyPoints()) {
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
          String.format(
              Locale.ROOT,
              "logits differ by %.3g on average (at most %.3g allowed: %.3g·L, L = %.3g)",
              meanAbsDifference,
              tolerance.meanLogits() * scale,
              tolerance.meanLogits(),
              scale));
    }
    if (!(maxAbsDifference <= tolerance.maxLogits() * scale)) {
      f.add(
          String.format(
              Locale.ROOT,
              "logits differ by up to %.3g (at most %.3g allowed: %.3g·L, L = %.3g)",
              maxAbsDifference,
              tolerance.maxLogits() * scale,
              tolerance.maxLogits(),
              scale));
    }
    return f;
  }
}
