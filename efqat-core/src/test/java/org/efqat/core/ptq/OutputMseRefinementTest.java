package org.efqat.core.ptq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.efqat.api.backend.Backend;
import org.efqat.api.spi.ConfigValueException;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.Flatten;
import org.efqat.core.nn.Linear;
import org.efqat.core.nn.QuantizedLayers;
import org.efqat.core.nn.TestBackends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code output-mse} on both backends: the input range it picks never gives a larger output error
 * (measured here through the network) than the calibrated min-max range, it is smaller where rare
 * outliers stretch the range, and without a smaller candidate the calibrated parameters stay bit
 * for bit.
 */
class OutputMseRefinementTest {
  static List<Supplier<Backend>> backends() {
    return TestBackends.all();
  }

  private static RefinementFixture fixture(Backend backend, long seed, boolean outliers) {
    SplittableRandom r = new SplittableRandom(seed);
    Linear fc = new Linear(backend, "fc", 16, 8, QuantizedLayers.gaussian(r, 128, 0.3));
    RefinementFixture f =
        new RefinementFixture(
            RefinementFixture.network(
                backend, new FeatureShape(1, 1, 1, 16), new Flatten("flat"), fc),
            1,
            0,
            128,
            seed);
    if (outliers) {
      f.images[5] = 40f;
      f.images[300] = -25f;
    }
    f.quantize(8, 4);
    return f;
  }

  @ParameterizedTest
  @MethodSource("backends")
  void shrinksARangeStretchedByOutliersAndLowersTheOutputError(Supplier<Backend> factory) {
    try (Backend backend = factory.get()) {
      RefinementFixture f = fixture(backend, 2, true);
      Linear fc = (Linear) f.net.weightLayers().get(0);
      double before = f.outputMse();
      float step = fc.inputStep().value()[0];
      List<LayerReport> reports =
          new OutputMseRefinement(new OutputMseConfig(null, null, null))
              .refine(f.net, f.data(), f.context(1));
      double after = f.outputMse();
      assertThat(after).isLessThan(0.7 * before);
      assertThat(fc.inputStep().value()[0]).isLessThan(step);
      assertThat(reports.get(0).note()).startsWith("input range x0.");
      assertThat(reports.get(0).mseAfter()).isLessThan(reports.get(0).mseBefore());
      assertThat(f.events).containsExactly("output-mse fc");
      f.net.release();
    }
  }

  @Test
  void neverReturnsARangeWithALargerOutputErrorThanTheCalibratedOne() {
    try (Backend backend = TestBackends.nd4j()) {
      for (long seed = 10; seed < 16; seed++) {
        RefinementFixture f = fixture(backend, seed, seed % 2 == 0);
        double before = f.outputMse();
        new OutputMseRefinement(new OutputMseConfig(null, 0.5, 11))
            .refine(f.net, f.data(), f.context(1));
        assertThat(f.outputMse()).as("seed " + seed).isLessThanOrEqualTo(before);
        f.net.release();
      }
    }
  }

  @Test
  void withOnlyTheCalibratedRangeNothingChanges() {
    try (Backend backend = TestBackends.nd4j()) {
      RefinementFixture f = fixture(backend, 3, true);
      Linear fc = (Linear) f.net.weightLayers().get(0);
      float step = fc.inputStep().value()[0];
      float zero = fc.inputZeroPoint().value()[0];
      List<LayerReport> reports =
          new OutputMseRefinement(new OutputMseConfig(null, null, 1))
              .refine(f.net, f.data(), f.context(1));
      assertThat(fc.inputStep().value()[0]).isEqualTo(step);
      assertThat(fc.inputZeroPoint().value()[0]).isEqualTo(zero);
      assertThat(reports.get(0).note()).isEqualTo("calibrated input range kept");
      f.net.release();
    }
  }

  @Test
  void optionsAreValidated() {
    OutputMseConfig d = new OutputMseConfig(null, null, null);
    assertThat(d.samples()).isEqualTo(512);
    assertThat(d.factors()).hasSize(36).startsWith(1.0);
    assertThat(d.factors()[35]).isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-12));
    assertThatThrownBy(() -> new OutputMseConfig(null, 0.0, null))
        .isInstanceOf(ConfigValueException.class)
        .hasMessage("minFactor must be in (0, 1] (was 0.0)");
    assertThatThrownBy(() -> new OutputMseConfig(null, null, 0))
        .hasMessage("candidates must be in [1, 10000] (was 0)");
  }
}
