package org.efqat.core.ptq;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.efqat.api.backend.Backend;
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
import org.junit.jupiter.api.Test;

/** Calibration refuses non-finite inputs and weights, naming the layer and where. */
class PtqCalibratorTest {
  private static Network net(Backend backend, float[] weights) {
    return new Network(
        "two",
        backend,
        new Sequential(
            "two",
            List.of(
                new Flatten("flatten"),
                new Linear(backend, "fc1", 4, 3, weights),
                new Linear(backend, "fc2", 3, 2, new float[6]))),
        new FeatureShape(1, 2, 2, 1),
        2);
  }

  private static void calibrate(Network net, float[] images) {
    PtqCalibrator.calibrate(
        net,
        new InMemoryBatches(images, new int[images.length / 4], 4, 2, null),
        3,
        false,
        new MinMaxRangeEstimator(),
        (i, n, layer) -> new LayerQuantization(new LsqQuantizer(4), new LsqPlusQuantizer(8, true)),
        site -> new LsqPlusQuantizer(8, true),
        new SplittableRandom(1));
  }

  @Test
  void aNonFiniteInputNamesTheLayerAndTheBatch() {
    try (Backend backend = TestBackends.nd4j()) {
      float[] w = new float[12];
      Arrays.fill(w, 0.1f);
      float[] images = new float[16];
      images[9] = Float.NaN; // sample 2, in the second batch of two
      assertThatThrownBy(() -> calibrate(net(backend, w), images))
          .isInstanceOf(CalibrationException.class)
          .hasMessageStartingWith(
              "PTQ calibration: the input of layer fc1 in calibration batch 2 holds a non-finite"
                  + " value");
    }
  }

  @Test
  void aNonFiniteWeightNamesTheLayerRowAndColumn() {
    try (Backend backend = TestBackends.nd4j()) {
      float[] w = new float[12];
      w[6] = Float.POSITIVE_INFINITY; // row 1, column 2
      assertThatThrownBy(() -> calibrate(net(backend, w), new float[16]))
          .isInstanceOf(CalibrationException.class)
          .hasMessage("PTQ calibration: layer fc1: weight row 1 holds Infinity at column 2");
    }
  }
}
