package org.efqat.core.ptq;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.TensorOps;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.Layer;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.QuantizedLayers;
import org.efqat.core.nn.Sequential;
import org.efqat.core.nn.WeightLayer;
import org.efqat.core.train.InMemoryBatches;

/**
 * A small network, its calibration data (all of it in a few batches) and the measurements the
 * refinement tests make independently of {@link LayerwiseReconstruction}: the network's output in
 * full precision (bypassed) and quantized, over all the data at once.
 */
final class RefinementFixture {
  final Network net;
  final float[] images;
  final int samples;
  final int batchSize;
  final List<String> events = new ArrayList<>();
  private float[] reference;
  private FullPrecisionWeights weights;

  /**
   * @param net the network
   * @param std the inputs' standard deviation
   * @param mean the inputs' mean
   * @param samples how many samples
   * @param seed the data's seed
   */
  RefinementFixture(Network net, double std, double mean, int samples, long seed) {
    this(net, std, mean, 0, samples, seed);
  }

  /**
   * @param net the network
   * @param std the standard deviation of each input's own noise
   * @param mean the inputs' mean
   * @param shared the standard deviation of a per-sample component every input of the sample shares
   *     (correlated inputs, where the rounding of one weight can cancel another's)
   * @param samples how many samples
   * @param seed the data's seed
   */
  RefinementFixture(Network net, double std, double mean, double shared, int samples, long seed) {
    this.net = net;
    this.samples = samples;
    this.batchSize = 32;
    SplittableRandom r = new SplittableRandom(seed);
    int per = (int) net.inputShape().size();
    images = QuantizedLayers.gaussian(r, samples * per, std);
    for (int n = 0; n < samples; n++) {
      double common = mean + shared * r.nextGaussian();
      for (int i = n * per; i < (n + 1) * per; i++) {
        images[i] += (float) common;
      }
    }
  }

  static Network network(Backend backend, FeatureShape sample, Layer... layers) {
    return new Network("fixture", backend, new Sequential("fixture", List.of(layers)), sample, 1);
  }

  /** Each sample's label is its index, so a test can follow the order of the batches. */
  private int[] indices() {
    int[] labels = new int[samples];
    java.util.Arrays.setAll(labels, i -> i);
    return labels;
  }

  /**
   * @return the data, shuffled the same way by a new copy of one seeded stream on every open
   */
  CalibrationBatches data() {
    return () ->
        new InMemoryBatches(
            images, indices(), (int) net.inputShape().size(), batchSize, new SplittableRandom(17));
  }

  /**
   * @return the data from one source whose order changes on every {@code startEpoch}: not a valid
   *     calibration source for reconstruction
   */
  CalibrationBatches reshufflingData() {
    InMemoryBatches one =
        new InMemoryBatches(
            images, indices(), (int) net.inputShape().size(), batchSize, new SplittableRandom(17));
    return () -> one;
  }

  int batches() {
    return (samples + batchSize - 1) / batchSize;
  }

  RefinementContext context(long seed) {
    return new RefinementContext(
        batches(),
        new SplittableRandom(seed),
        (name, layer) -> events.add(name + " " + layer.layer()),
        weights);
  }

  /**
   * Quantizes every weight layer with min-max ranges of its FP inputs over all the data, and keeps
   * the FP network's output as the reference (refinements that bake weights change what a bypassed
   * network computes).
   */
  void quantize(int weightBits, int inputBits) {
    reference = output();
    List<WeightLayer> layers = net.weightLayers();
    float[][] ranges = new float[layers.size()][];
    for (int i = 0; i < layers.size(); i++) {
      int at = i;
      ranges[i] = new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
      layers
          .get(i)
          .setInputObserver(
              a -> {
                float[] mm = net.backend().ops().minMax(a.tensor());
                ranges[at][0] = Math.min(ranges[at][0], mm[0]);
                ranges[at][1] = Math.max(ranges[at][1], mm[1]);
              });
    }
    output();
    for (int i = 0; i < layers.size(); i++) {
      layers.get(i).setInputObserver(null);
      QuantizedLayers.quantize(layers.get(i), weightBits, inputBits, ranges[i][0], ranges[i][1]);
    }
    weights = FullPrecisionWeights.of(net);
  }

  /**
   * @return the network's output on all the data, as it is now
   */
  float[] output() {
    TensorOps ops = net.backend().ops();
    return ops.toArray(net.forward(images, samples, false).tensor());
  }

  /**
   * @return the full-precision network's output on all the data, before quantization
   */
  float[] fullPrecisionOutput() {
    return reference.clone();
  }

  /**
   * @return the full-precision network's output on all the data as a bypassed network computes it
   *     now
   */
  float[] bypassedOutput() {
    net.setQuantizationBypassed(true);
    try {
      return output();
    } finally {
      net.setQuantizationBypassed(false);
    }
  }

  /**
   * @return the quantized output's mean squared error against the full-precision output
   */
  double outputMse() {
    float[] fp = fullPrecisionOutput();
    float[] q = output();
    double sum = 0;
    for (int i = 0; i < q.length; i++) {
      double d = q[i] - fp[i];
      sum += d * d;
    }
    return sum / q.length;
  }

  /**
   * @param channels the output channels
   * @return per channel, the mean of (quantized − full-precision) output over samples and positions
   */
  double[] meanOutputError(int channels) {
    float[] fp = fullPrecisionOutput();
    float[] q = output();
    double[] mean = new double[channels];
    for (int i = 0; i < q.length; i++) {
      mean[i % channels] += q[i] - fp[i];
    }
    for (int c = 0; c < channels; c++) {
      mean[c] /= (double) q.length / channels;
    }
    return mean;
  }
}
