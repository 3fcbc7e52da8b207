package org.efqat.core.ptq;

import java.util.ArrayList;
import java.util.List;
import org.efqat.api.backend.TensorOps;
import org.efqat.api.quant.QuantParams;
import org.efqat.core.nn.Activation;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.LayerQuantization;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.WeightLayer;
import org.efqat.core.train.Batches;
import org.efqat.core.train.NonFiniteValues;

/**
 * PTQ (DESIGN.md 1.3): folds BatchNorm if asked, observes every weight layer's inputs over a few
 * training batches in evaluation mode, and initializes each layer's quantizers from the estimated
 * ranges — per tensor for inputs, per output row for weights.
 */
public final class PtqCalibrator {
  /** At most this many input values per layer and batch are kept for percentile and MSE. */
  static final int SAMPLE_LIMIT = 1 << 16;

  /** Chooses each layer's quantizers (first and last layers may get other bit widths). */
  @FunctionalInterface
  public interface QuantizerChoice {
    /**
     * @param index the layer's position among the weight layers
     * @param count the number of weight layers
     * @param layer the layer
     * @return its quantizers
     */
    LayerQuantization forLayer(int index, int count, WeightLayer layer);
  }

  private PtqCalibrator() {}

  /**
   * @param network a trained full-precision network
   * @param data calibration batches (training data, no augmentation needed)
   * @param batches how many batches to observe
   * @param foldBatchNorm fold BatchNorm into the preceding convolutions first
   * @param estimator the calibration method
   * @param choice the quantizers per layer
   */
  public static void calibrate(
      Network network,
      Batches data,
      int batches,
      boolean foldBatchNorm,
      RangeEstimator estimator,
      QuantizerChoice choice) {
    if (foldBatchNorm) {
      network.foldBatchNorm();
    }
    List<WeightLayer> layers = network.weightLayers();
    for (WeightLayer layer : layers) {
      float[] w = layer.weight().value();
      int bad = NonFiniteValues.firstNonFinite(w);
      if (bad >= 0) {
        int k = layer.weight().rowSize();
        throw new CalibrationException(
            "PTQ calibration: layer "
                + layer.name()
                + ": weight row "
                + bad / k
                + " holds "
                + w[bad]
                + " at column "
                + bad % k);
      }
    }
    TensorOps ops = network.backend().ops();
    boolean sample = estimator.needsSamples();
    List<float[]> minMax = new ArrayList<>();
    List<List<float[]>> samples = new ArrayList<>();
    int[] batch = {0};
    for (WeightLayer layer : layers) {
      float[] mm = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
      List<float[]> kept = new ArrayList<>();
      minMax.add(mm);
      samples.add(kept);
      layer.setInputObserver(
          a -> {
            float[] r = ops.minMax(a.tensor());
            // the backends' min/max skip NaN, so the values themselves are scanned (calibration
            // sees a few batches once; the percentile and MSE methods copy them anyway)
            float[] values = ops.toArray(a.tensor());
            int bad = NonFiniteValues.firstNonFinite(values);
            if (bad >= 0 || !Float.isFinite(r[0]) || !Float.isFinite(r[1])) {
              throw new CalibrationException(
                  "PTQ calibration: the input of layer "
                      + layer.name()
                      + " in calibration batch "
                      + (batch[0] + 1)
                      + " holds a non-finite value ("
                      + (bad >= 0
                          ? values[bad] + " at index " + bad
                          : "min " + r[0] + ", max " + r[1])
                      + "); the FP model or the data is broken");
            }
            mm[0] = Math.min(mm[0], r[0]);
            mm[1] = Math.max(mm[1], r[1]);
            if (sample) {
              kept.add(subsample(values));
            }
          });
    }
    FeatureShape in = network.inputShape();
    float[] images = new float[data.batchSize() * in.h() * in.w() * in.c()];
    int[] labels = new int[data.batchSize()];
    data.startEpoch(0);
    for (int b = 0; b < batches; b++) {
      batch[0] = b;
      int n = data.next(images, labels);
      if (n == 0) {
        break;
      }
      Activation ignored = network.forward(images, n, false);
    }
    for (int i = 0; i < layers.size(); i++) {
      WeightLayer layer = layers.get(i);
      layer.setInputObserver(null);
      LayerQuantization q = choice.forLayer(i, layers.size(), layer);
      float[] observed = sample ? concat(samples.get(i)) : minMax.get(i);
      if (observed.length == 0 || (!sample && !(observed[0] <= observed[1]))) {
        throw new CalibrationException(
            "PTQ calibration: layer " + layer.name() + " saw no input in the calibration batches");
      }
      float[] inputRange = estimator.range(observed, q.inputs(), false);
      if (!(inputRange[1] >= inputRange[0])) {
        throw new CalibrationException(
            "PTQ calibration: layer "
                + layer.name()
                + ": no finite input range"
                + " (was ["
                + inputRange[0]
                + ", "
                + inputRange[1]
                + "])");
      }
      int rows = layer.outChannels();
      int k = layer.weight().rowSize();
      float[] lo = new float[rows];
      float[] hi = new float[rows];
      float[] w = layer.weight().value();
      for (int r = 0; r < rows; r++) {
        float[] row = java.util.Arrays.copyOfRange(w, r * k, (r + 1) * k);
        float[] range = estimator.range(row, q.weights(), true);
        lo[r] = range[0];
        hi[r] = range[1];
      }
      QuantParams wp = q.weights().initialize(lo, hi);
      QuantParams ip =
          q.inputs().initialize(new float[] {inputRange[0]}, new float[] {inputRange[1]});
      layer.quantize(q, wp, ip);
    }
  }

  private static float[] subsample(float[] v) {
    if (v.length <= SAMPLE_LIMIT) {
      return v;
    }
    float[] out = new float[SAMPLE_LIMIT];
    double stride = (double) v.length / SAMPLE_LIMIT;
    for (int i = 0; i < SAMPLE_LIMIT; i++) {
      out[i] = v[(int) (i * stride)];
    }
    return out;
  }

  private static float[] concat(List<float[]> parts) {
    int n = parts.stream().mapToInt(a -> a.length).sum();
    float[] out = new float[n];
    int at = 0;
    for (float[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
