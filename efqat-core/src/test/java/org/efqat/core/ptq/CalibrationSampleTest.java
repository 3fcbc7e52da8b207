package org.efqat.core.ptq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.efqat.api.backend.Backend;
import org.efqat.api.quant.Quantizer;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.Flatten;
import org.efqat.core.nn.LayerQuantization;
import org.efqat.core.nn.Linear;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.Sequential;
import org.efqat.core.nn.TestBackends;
import org.efqat.core.quant.LsqPlusQuantizer;
import org.efqat.core.quant.LsqQuantizer;
import org.efqat.core.train.InMemoryBatches;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the percentile and MSE methods see is representative: every channel and position in
 * proportion (an NHWC tensor whose size is a multiple of the sample size must not be sampled at a
 * stride that keeps only some channels), and the exact extremes of every batch, so that a
 * percentile of 100 is min-max. Runs through {@link PtqCalibrator} on each backend.
 */
class CalibrationSampleTest {
  private static final int H = 16;
  private static final int W = 16;
  private static final int C = 16;
  private static final int BATCH = 32; // 131072 values per batch: two per sampled value
  private static final int BATCHES = 3;

  static List<Supplier<Backend>> backends() {
    return TestBackends.all();
  }

  /** Channel c holds values in [c, c + 0.9): floor(x) names the channel. One far outlier. */
  private static float[] images() {
    SplittableRandom r = new SplittableRandom(5);
    float[] x = new float[BATCH * BATCHES * H * W * C];
    for (int i = 0; i < x.length; i++) {
      x[i] = (i % C) + 0.9f * (float) r.nextDouble();
    }
    x[BATCH * H * W * C + 777 * C + 13] = 40f; // second batch, channel 13
    return x;
  }

  /** Records what it is given and answers min-max of it. */
  private static final class Recorder implements RangeEstimator {
    final List<float[]> seen = new ArrayList<>();

    @Override
    public boolean needsSamples() {
      return true;
    }

    @Override
    public float[] range(float[] values, Quantizer quantizer, boolean weights) {
      if (!weights) {
        seen.add(values.clone());
      }
      return RangeEstimator.minMax(values);
    }
  }

  private static void calibrate(Backend backend, float[] images, RangeEstimator estimator) {
    Network net =
        new Network(
            "probe",
            backend,
            new Sequential(
                "probe",
                List.of(
                    new Flatten("flatten"),
                    new Linear(backend, "fc", H * W * C, 2, new float[H * W * C * 2]))),
            new FeatureShape(1, H, W, C),
            2);
    try {
      PtqCalibrator.calibrate(
          net,
          new InMemoryBatches(images, new int[BATCH * BATCHES], H * W * C, BATCH, null),
          BATCHES,
          false,
          estimator,
          (i, n, layer) ->
              new LayerQuantization(new LsqQuantizer(8), new LsqPlusQuantizer(8, true)),
          site -> new LsqPlusQuantizer(8, true),
          new SplittableRandom(11));
    } finally {
      net.release();
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void theSampleCoversEveryChannelInProportionAndKeepsTheExtremes(Supplier<Backend> factory) {
    float[] images = images();
    Recorder recorder = new Recorder();
    try (Backend backend = factory.get()) {
      calibrate(backend, images, recorder);
    }
    assertThat(recorder.seen).hasSize(1);
    float[] sample = recorder.seen.get(0);
    assertThat(sample).hasSize(BATCHES * PtqCalibrator.SAMPLE_LIMIT);
    int[] perChannel = new int[C];
    for (float v : sample) {
      if (v < 40f) {
        perChannel[(int) Math.floor(v)]++;
      }
    }
    double expected = (double) sample.length / C;
    for (int c = 0; c < C; c++) {
      assertThat((double) perChannel[c])
          .as("channel %d", c)
          .isCloseTo(expected, within(0.05 * expected));
    }
    float[] all = RangeEstimator.minMax(images);
    assertThat(RangeEstimator.minMax(sample)).containsExactly(all);
  }

  @ParameterizedTest
  @MethodSource("backends")
  void percentilesOfTheSampleMatchThoseOfAllValues(Supplier<Backend> factory) {
    float[] images = images();
    float[] sorted = images.clone();
    Arrays.sort(sorted);
    Recorder recorder = new Recorder();
    try (Backend backend = factory.get()) {
      calibrate(backend, images, recorder);
    }
    float[] sample = recorder.seen.get(0);
    PercentileRangeEstimator p99 = new PercentileRangeEstimator(99);
    float[] fromSample = p99.range(sample, new LsqPlusQuantizer(8, true), false);
    double truth = sorted[(int) Math.round(0.99 * (sorted.length - 1))];
    double low = sorted[(int) Math.round(0.01 * (sorted.length - 1))];
    assertThat((double) fromSample[1]).isCloseTo(truth, within(0.05));
    assertThat((double) fromSample[0]).isCloseTo(low, within(0.05));
    assertThat(new PercentileRangeEstimator(100).range(sample, new LsqQuantizer(8), false))
        .containsExactly(sorted[0], sorted[sorted.length - 1]);
  }
}
