package org.efqat.core.nn;

/**
 * Mean softmax cross-entropy over a batch, on the heap (the logits are {@code n × classes}, small).
 * Computed with the log-sum-exp shift for stability.
 */
public final class SoftmaxCrossEntropy {
  private SoftmaxCrossEntropy() {}

  /**
   * @param logits {@code [n, classes]} row-major
   * @param labels {@code n} class indices
   * @param n the batch size
   * @param classes the class count
   * @param gradLogits receives {@code ∂loss/∂logits = (softmax − onehot)/n}; may be null
   * @return the mean loss and the number of correct argmax predictions: {@code {loss, correct}}
   */
  public static double[] lossAndGradient(
      float[] logits, int[] labels, int n, int classes, float[] gradLogits) {
    double loss = 0;
    int correct = 0;
    for (int i = 0; i < n; i++) {
      int base = i * classes;
      float max = Float.NEGATIVE_INFINITY;
      int arg = 0;
      for (int c = 0; c < classes; c++) {
        if (logits[base + c] > max) {
          max = logits[base + c];
          arg = c;
        }
      }
      int y = labels[i];
      if (y < 0 || y >= classes) {
        throw new IllegalArgumentException(
            "label " + y + " of sample " + i + " outside [0, " + classes + ")");
      }
      if (arg == y) {
        correct++;
      }
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        sum += Math.exp(logits[base + c] - max);
      }
      double logSum = Math.log(sum) + max;
      loss += logSum - logits[base + y];
      if (gradLogits != null) {
        for (int c = 0; c < classes; c++) {
          double p = Math.exp(logits[base + c] - logSum);
          gradLogits[base + c] = (float) ((p - (c == y ? 1 : 0)) / n);
        }
      }
    }
    return new double[] {loss / n, correct};
  }
}
