package org.efqat.core.ptq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.efqat.api.backend.Backend;
import org.efqat.api.spi.ConfigValueException;
import org.efqat.core.nn.Conv2d;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.QuantizedLayers;
import org.efqat.core.nn.ReLU;
import org.efqat.core.nn.TestBackends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Empirical bias correction on both backends: afterwards the network's mean output error per
 * channel on the calibration data is zero (measured here through the network), also for the last of
 * two layers whose input the first layer's quantization shifted.
 */
class BiasCorrectionRefinementTest {
  static List<Supplier<Backend>> backends() {
    return TestBackends.all();
  }

  private static double maxAbs(double[] v) {
    return Arrays.stream(v).map(Math::abs).max().orElseThrow();
  }

  @ParameterizedTest
  @MethodSource("backends")
  void makesTheMeanOutputErrorOfEachChannelZeroAndAddsAMissingBias(Supplier<Backend> factory) {
    try (Backend backend = factory.get()) {
      SplittableRandom r = new SplittableRandom(3);
      Conv2d c1 =
          new Conv2d(backend, "c1", 2, 4, 3, 1, 1, false, QuantizedLayers.gaussian(r, 72, 0.4));
      Conv2d c2 =
          new Conv2d(backend, "c2", 4, 5, 3, 2, 1, true, QuantizedLayers.gaussian(r, 180, 0.3));
      RefinementFixture f =
          new RefinementFixture(
              RefinementFixture.network(
                  backend, new FeatureShape(1, 6, 6, 2), c1, new ReLU(backend, "relu"), c2),
              0.5,
              0.8,
              0.3,
              96,
              4);
      f.quantize(3, 4);
      double[] before = f.meanOutputError(5);
      float[] c2Bias = c2.bias().value().clone();
      List<LayerReport> reports =
          new BiasCorrectionRefinement(new BiasCorrectionConfig(null))
              .refine(f.net, f.data(), f.context(1));
      double[] after = f.meanOutputError(5);
      assertThat(maxAbs(before)).isGreaterThan(1e-2);
      assertThat(maxAbs(after)).isLessThan(1e-5);
      assertThat(reports).extracting(LayerReport::layer).containsExactly("c1", "c2");
      assertThat(reports).extracting(LayerReport::note).containsExactly("bias added", "");
      assertThat(reports).allMatch(x -> x.mseAfter() <= x.mseBefore());
      assertThat(f.events).containsExactly("bias-correction c1", "bias-correction c2");
      assertThat(c1.bias()).isNotNull();
      assertThat(c1.bias().name()).isEqualTo("c1.bias");
      assertThat(f.net.parameters()).containsKey("c1.bias");
      assertThat(c2.bias().value()).isNotEqualTo(c2Bias);
      f.net.release();
    }
  }

  @Test
  void afterAdaRoundItStillCorrectsTowardsTheOriginalFullPrecisionNetwork() {
    try (Backend backend = TestBackends.nd4j()) {
      SplittableRandom r = new SplittableRandom(5);
      Conv2d c1 =
          new Conv2d(backend, "c1", 2, 4, 3, 1, 1, true, QuantizedLayers.gaussian(r, 72, 0.4));
      Conv2d c2 =
          new Conv2d(backend, "c2", 4, 3, 3, 1, 1, false, QuantizedLayers.gaussian(r, 108, 0.3));
      RefinementFixture f =
          new RefinementFixture(
              RefinementFixture.network(
                  backend, new FeatureShape(1, 5, 5, 2), c1, new ReLU(backend, "relu"), c2),
              0.5,
              0.5,
              0.5,
              64,
              6);
      f.quantize(3, 6);
      RefinementContext context = f.context(2);
      new AdaRoundRefinement(new AdaRoundConfig(50, 64, 16, 1e-2, null, null, null, null))
          .refine(f.net, f.data(), context);
      // AdaRound baked its rounding into the latent weights: a bypassed network is no longer FP
      assertThat(f.bypassedOutput()).isNotEqualTo(f.fullPrecisionOutput());
      new BiasCorrectionRefinement(new BiasCorrectionConfig(null)).refine(f.net, f.data(), context);
      assertThat(maxAbs(f.meanOutputError(3))).isLessThan(1e-5);
      f.net.release();
    }
  }

  @Test
  void passesOverDifferentSamplesAreRefused() {
    try (Backend backend = TestBackends.nd4j()) {
      Conv2d c1 =
          new Conv2d(
              backend,
              "c1",
              1,
              2,
              3,
              1,
              1,
              false,
              QuantizedLayers.gaussian(new SplittableRandom(1), 18, 0.4));
      RefinementFixture f =
          new RefinementFixture(
              RefinementFixture.network(backend, new FeatureShape(1, 4, 4, 1), c1), 1, 0, 64, 2);
      f.quantize(4, 8);
      assertThatThrownBy(
              () ->
                  new BiasCorrectionRefinement(new BiasCorrectionConfig(40))
                      .refine(f.net, f.reshufflingData(), f.context(1)))
          .isInstanceOf(CalibrationException.class)
          .hasMessageContaining("layer c1: the full-precision and the quantized pass saw different")
          .hasMessageContaining("same samples in the same order");
      f.net.release();
    }
  }

  @Test
  void samplesAreValidated() {
    assertThat(new BiasCorrectionConfig(null).samples()).isEqualTo(1024);
    assertThatThrownBy(() -> new BiasCorrectionConfig(0))
        .isInstanceOf(ConfigValueException.class)
        .hasMessage("samples must be in [1, 10000000] (was 0)");
  }
}
