package org.efqat.core.ptq;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.efqat.api.backend.TensorOps;
import org.efqat.api.quant.QuantParams;
import org.efqat.api.quant.Quantizer;
import org.efqat.core.nn.Activation;
import org.efqat.core.nn.ActivationFakeQuant;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.LayerQuantization;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.WeightLayer;
import org.efqat.core.train.Batches;
import org.efqat.core.train.NonFiniteValues;

/**
 * PTQ (DESIGN.md 1.3): folds BatchNorm if asked, observes every weight layer's inputs and every
 * other activation quantizer's input ({@link Network#activationQuantizers()}, e.g. the operands of
 * attention's matmuls) over the same few training batches in evaluation mode, with every layer
 * still in full precision, and initializes each quantizer from the estimated ranges — per tensor
 * for activations, per output row for weights.
 *
 * <p>Estimators that need the values themselves ({@link RangeEstimator#needsSamples()}) see a
 * stratified random sample of at most {@value #SAMPLE_LIMIT} values per batch and activation: the
 * flattened tensor is cut into that many equal consecutive strata and one value is drawn uniformly
 * from each (seeded), so every position and every channel is represented in proportion, whatever
 * the layout's strides; the strata holding the batch's minimum and maximum contribute those values
 * instead, so the sample's extremes are the exact extremes (a percentile of 100 is min-max).
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

  /** Chooses the quantizer of each activation quantizer outside the weight layers. */
  @FunctionalInterface
  public interface ActivationChoice {
    /**
     * @param site the activation quantizer
     * @return its (per-tensor) quantizer
     */
    Quantizer forActivation(ActivationFakeQuant site);
  }

  private PtqCalibrator() {}

  /**
   * @param network a trained full-precision network
   * @param data calibration batches (training data, no augmentation needed)
   * @param batches how many batches to observe
   * @param foldBatchNorm fold BatchNorm into the preceding convolutions first
   * @param estimator the calibration method
   * @param choice the quantizers per layer
   * @param activations the quantizer of each of {@link Network#activationQuantizers()}
   * @param sampling the random stream that draws the samples of percentile and MSE estimators
   */
  public static void calibrate(
      Network network,
      Batches data,
      int batches,
      boolean foldBatchNorm,
      RangeEstimator estimator,
      QuantizerChoice choice,
      ActivationChoice activations,
      SplittableRandom sampling) {
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
    int[] batch = {0};
    List<Observation> observed = new ArrayList<>();
    for (WeightLayer layer : layers) {
      Observation o =
          new Observation(
              ops, sample, "the input of layer " + layer.name(), batch, sampling.split());
      observed.add(o);
      layer.setInputObserver(o);
    }
    List<ActivationFakeQuant> sites = network.activationQuantizers();
    List<Observation> siteObserved = new ArrayList<>();
    for (ActivationFakeQuant site : sites) {
      Observation o =
          new Observation(ops, sample, "activation " + site.name(), batch, sampling.split());
      siteObserved.add(o);
      site.setObserver(o);
    }
    FeatureShape in = network.inputShape();
    float[] images = new float[data.batchSize() * in.h() * in.w() * in.c()];
    int[] labels = new int[data.batchSize()];
    data.startEpoch(0);
    try {
      for (int b = 0; b < batches; b++) {
        batch[0] = b;
        int n = data.next(images, labels);
        if (n == 0) {
          break;
        }
        Activation ignored = network.forward(images, n, false);
      }
    } finally {
      layers.forEach(l -> l.setInputObserver(null));
      sites.forEach(s -> s.setObserver(null));
    }
    for (int i = 0; i < layers.size(); i++) {
      WeightLayer layer = layers.get(i);
      LayerQuantization q = choice.forLayer(i, layers.size(), layer);
      float[] inputRange = observed.get(i).range(estimator, q.inputs(), "layer " + layer.name());
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
    for (int i = 0; i < sites.size(); i++) {
      ActivationFakeQuant site = sites.get(i);
      Quantizer q = activations.forActivation(site);
      float[] range = siteObserved.get(i).range(estimator, q, "activation " + site.name());
      site.quantize(q, q.initialize(new float[] {range[0]}, new float[] {range[1]}));
    }
  }

  /**
   * Gives a network the quantizers PTQ would give it, with placeholder parameters (the range {@code
   * [−1, 1]} per group), so that a PTQ or EfQAT checkpoint written from a calibrated network of the
   * same experiment can be loaded into it ({@code NetworkCheckpoint.load}) instead of calibrating
   * again. Folds BatchNorm first when asked, as {@link #calibrate} does.
   *
   * @param network a full-precision network
   * @param foldBatchNorm fold BatchNorm into the preceding convolutions first
   * @param choice the quantizers per layer
   * @param activations the quantizer of each of {@link Network#activationQuantizers()}
   */
  public static void quantizeUncalibrated(
      Network network,
      boolean foldBatchNorm,
      QuantizerChoice choice,
      ActivationChoice activations) {
    if (foldBatchNorm) {
      network.foldBatchNorm();
    }
    List<WeightLayer> layers = network.weightLayers();
    for (int i = 0; i < layers.size(); i++) {
      WeightLayer layer = layers.get(i);
      LayerQuantization q = choice.forLayer(i, layers.size(), layer);
      int rows = layer.outChannels();
      float[] lo = new float[rows];
      float[] hi = new float[rows];
      java.util.Arrays.fill(lo, -1f);
      java.util.Arrays.fill(hi, 1f);
      layer.quantize(
          q,
          q.weights().initialize(lo, hi),
          q.inputs().initialize(new float[] {-1f}, new float[] {1f}));
    }
    for (ActivationFakeQuant site : network.activationQuantizers()) {
      Quantizer q = activations.forActivation(site);
      site.quantize(q, q.initialize(new float[] {-1f}, new float[] {1f}));
    }
  }

  /**
   * One activation's running minimum and maximum over the calibration batches, and a subsample of
   * its values when the estimator needs them.
   */
  private static final class Observation implements Consumer<Activation> {
    private final TensorOps ops;
    private final boolean sample;
    private final String what;
    private final int[] batch;
    private final SplittableRandom random;
    private final float[] minMax = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
    private final List<float[]> kept = new ArrayList<>();

    /**
     * @param what the activation, for messages ("the input of layer fc1")
     * @param batch the current calibration batch, from 0
     * @param random draws this activation's samples
     */
    Observation(TensorOps ops, boolean sample, String what, int[] batch, SplittableRandom random) {
      this.ops = ops;
      this.sample = sample;
      this.what = what;
      this.batch = batch;
      this.random = random;
    }

    @Override
    public void accept(Activation a) {
      float[] r = ops.minMax(a.tensor());
      // the backends' min/max skip NaN, so the values themselves are scanned (calibration
      // sees a few batches once; the percentile and MSE methods copy them anyway)
      float[] values = ops.toArray(a.tensor());
      int bad = NonFiniteValues.firstNonFinite(values);
      if (bad >= 0 || !Float.isFinite(r[0]) || !Float.isFinite(r[1])) {
        throw new CalibrationException(
            "PTQ calibration: "
                + what
                + " in calibration batch "
                + (batch[0] + 1)
                + " holds a non-finite value ("
                + (bad >= 0 ? values[bad] + " at index " + bad : "min " + r[0] + ", max " + r[1])
                + "); the FP model or the data is broken");
      }
      minMax[0] = Math.min(minMax[0], r[0]);
      minMax[1] = Math.max(minMax[1], r[1]);
      if (sample) {
        kept.add(subsample(values, SAMPLE_LIMIT, random));
      }
    }

    /**
     * @param owner for messages ("layer fc1")
     * @return the estimated range {@code {lo, hi}} of what was observed
     */
    float[] range(RangeEstimator estimator, Quantizer q, String owner) {
      float[] values = sample ? concat(kept) : minMax;
      if (values.length == 0 || (!sample && !(values[0] <= values[1]))) {
        throw new CalibrationException(
            "PTQ calibration: " + owner + " saw no input in the calibration batches");
      }
      float[] range = estimator.range(values, q, false);
      if (!(range[1] >= range[0])) {
        throw new CalibrationException(
            "PTQ calibration: "
                + owner
                + ": no finite input range"
                + " (was ["
                + range[0]
                + ", "
                + range[1]
                + "])");
      }
      return range;
    }
  }

  /**
   * A stratified random sample (see the class comment).
   *
   * @param v the values of one batch, at least one
   * @param limit the sample size
   * @param random draws one index per stratum
   * @return {@code v} itself when it has at most {@code limit} values, else {@code limit} values
   *     that include the minimum and the maximum of {@code v}
   */
  static float[] subsample(float[] v, int limit, SplittableRandom random) {
    if (v.length <= limit) {
      return v;
    }
    int argMin = 0;
    int argMax = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] < v[argMin]) {
        argMin = i;
      }
      if (v[i] > v[argMax]) {
        argMax = i;
      }
    }
    float[] out = new float[limit];
    for (int i = 0; i < limit; i++) {
      int from = stratumStart(i, v.length, limit);
      int to = stratumStart(i + 1, v.length, limit);
      int at = from + random.nextInt(to - from);
      if (argMin >= from && argMin < to) {
        at = argMin;
      } else if (argMax >= from && argMax < to) {
        at = argMax;
      }
      out[i] = v[at];
    }
    if (stratumOf(argMin, v.length, limit) == stratumOf(argMax, v.length, limit)) {
      // both extremes fell into one stratum: the next stratum gives up its draw for the maximum
      int s = stratumOf(argMax, v.length, limit);
      out[s + 1 < limit ? s + 1 : s - 1] = v[argMax];
    }
    return out;
  }

  /** The first index of stratum {@code i} of {@code limit} over {@code n} values. */
  private static int stratumStart(int i, int n, int limit) {
    return (int) ((long) i * n / limit);
  }

  /** The stratum of index {@code at}. */
  private static int stratumOf(int at, int n, int limit) {
    int s = (int) (((long) at * limit) / n);
    while (stratumStart(s + 1, n, limit) <= at) {
      s++;
    }
    while (stratumStart(s, n, limit) > at) {
      s--;
    }
    return s;
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
