package org.efqat.core.train;

import org.efqat.core.nn.Activation;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.SoftmaxCrossEntropy;

/** Accuracy and mean loss of a network on a dataset, in evaluation mode. */
public final class Evaluator {
  private Evaluator() {}

  /**
   * @param accuracy top-1 accuracy in [0, 1]
   * @param loss mean cross-entropy
   * @param samples samples evaluated
   */
  public record Result(double accuracy, double loss, int samples) {}

  /**
   * @param network the network
   * @param data the evaluation batches (one epoch)
   * @return accuracy and loss
   */
  public static Result evaluate(Network network, Batches data) {
    FeatureShape in = network.inputShape();
    float[] images = new float[data.batchSize() * in.h() * in.w() * in.c()];
    int[] labels = new int[data.batchSize()];
    data.startEpoch(0);
    int n;
    long total = 0;
    double lossSum = 0;
    long correct = 0;
    while ((n = data.next(images, labels)) > 0) {
      Activation logits = network.forward(images, n, false);
      float[] z = network.backend().ops().toArray(logits.tensor());
      double[] lc = SoftmaxCrossEntropy.lossAndGradient(z, labels, n, network.classes(), null);
      lossSum += lc[0] * n;
      correct += (long) lc[1];
      total += n;
    }
    return new Result(
        total == 0 ? 0 : (double) correct / total, total == 0 ? 0 : lossSum / total, (int) total);
  }
}
