package org.efqat.core.ptq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.efqat.api.backend.Backend;
import org.efqat.core.nn.Conv2d;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.QuantizedLayers;
import org.efqat.core.nn.ReLU;
import org.efqat.core.nn.TestBackends;
import org.efqat.core.train.Batches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The captures of the last layer of a two-layer network, on both backends, against the network
 * itself: the targets are the FP network's outputs of the same samples in the batches' (shuffled)
 * order, and the quantized layer on the captured inputs has exactly the network's output error.
 */
class LayerwiseReconstructionTest {
  static List<Supplier<Backend>> backends() {
    return TestBackends.all();
  }

  private static RefinementFixture fixture(Backend backend) {
    SplittableRandom r = new SplittableRandom(8);
    Conv2d c1 =
        new Conv2d(backend, "c1", 2, 3, 3, 1, 1, true, QuantizedLayers.gaussian(r, 54, 0.4));
    Conv2d c2 =
        new Conv2d(backend, "c2", 3, 4, 3, 2, 1, false, QuantizedLayers.gaussian(r, 108, 0.3));
    RefinementFixture f =
        new RefinementFixture(
            RefinementFixture.network(
                backend, new FeatureShape(1, 6, 6, 2), c1, new ReLU(backend, "relu"), c2),
            0.7,
            0.3,
            0.4,
            70,
            3);
    f.quantize(3, 4);
    return f;
  }

  @ParameterizedTest
  @MethodSource("backends")
  void capturesTheLastLayersFullPrecisionTargetsAndQuantizedInputsInBatchOrder(
      Supplier<Backend> factory) {
    try (Backend backend = factory.get()) {
      RefinementFixture f = fixture(backend);
      Conv2d c2 = (Conv2d) f.net.weightLayers().get(1);
      // the order the (shuffled) batches give the samples in
      Batches b = f.data().open();
      b.startEpoch(0);
      int[] order = new int[f.samples];
      int[] labels = new int[f.batchSize];
      float[] scratch = new float[f.batchSize * 72];
      int at = 0;
      for (int n; (n = b.next(scratch, labels)) > 0; at += n) {
        System.arraycopy(labels, 0, order, at, n);
      }
      float[] fp = f.fullPrecisionOutput(); // [70, 3, 3, 4] in sample order
      int per = 3 * 3 * 4;
      LayerwiseReconstruction rec = new LayerwiseReconstruction(f.net, f.data(), f.context(1));
      try (LayerCapture cap = rec.capture(c2, 1000)) {
        assertThat(cap.samples()).isEqualTo(70);
        assertThat(cap.inputSample()).isEqualTo(new FeatureShape(1, 6, 6, 3));
        assertThat(cap.outputSample()).isEqualTo(new FeatureShape(1, 3, 3, 4));
        int[] some = {0, 1, 37, 69};
        float[] targets = backend.ops().toArray(cap.targets(some));
        for (int i = 0; i < some.length; i++) {
          int sample = order[some[i]];
          for (int j = 0; j < per; j++) {
            assertThat(targets[i * per + j])
                .isCloseTo(fp[sample * per + j], org.assertj.core.data.Offset.offset(1e-5f));
          }
        }
        double mse = cap.error(x -> c2.forward(x, false), 16).mse();
        assertThat(mse)
            .isCloseTo(f.outputMse(), org.assertj.core.data.Percentage.withPercentage(1e-3));
      }
      try (LayerCapture few = rec.capture(c2, 20)) {
        assertThat(few.samples()).isEqualTo(20);
      }
      f.net.release();
    }
  }

  @Test
  void theFullPrecisionPassUsesTheWeightsCopiedBeforeAnyRefinement() {
    try (Backend backend = TestBackends.nd4j()) {
      RefinementFixture f = fixture(backend);
      RefinementContext context = f.context(1);
      Conv2d c1 = (Conv2d) f.net.weightLayers().get(0);
      Conv2d c2 = (Conv2d) f.net.weightLayers().get(1);
      float[] w = c1.weight().value();
      float[] changed = w.clone();
      for (int i = 0; i < w.length; i++) {
        w[i] *= 1.5f; // what a refinement might do to an earlier layer
      }
      float[] fp = f.fullPrecisionOutput();
      LayerwiseReconstruction rec = new LayerwiseReconstruction(f.net, f.data(), context);
      try (LayerCapture cap = rec.capture(c2, 1000)) {
        float[] t = backend.ops().toArray(cap.targets(LayerCapture.range(0, 70)));
        java.util.Arrays.sort(t);
        float[] expected = fp.clone();
        java.util.Arrays.sort(expected); // the same values, whatever the order
        assertThat(t).containsExactly(expected, org.assertj.core.data.Offset.offset(1e-5f));
      }
      for (int i = 0; i < w.length; i++) {
        assertThat(w[i]).isEqualTo(changed[i] * 1.5f); // restored after the pass
      }
      assertThat(c2.isQuantizationBypassed()).isFalse();
      f.net.release();
    }
  }
}
