package org.efqat.core.ptq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.efqat.api.backend.Backend;
import org.efqat.api.quant.QuantParams;
import org.efqat.api.spi.ConfigValueException;
import org.efqat.core.nn.Conv2d;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.Flatten;
import org.efqat.core.nn.Linear;
import org.efqat.core.nn.QuantizedLayers;
import org.efqat.core.nn.ReLU;
import org.efqat.core.nn.TestBackends;
import org.efqat.core.nn.WeightLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * AdaRound on small layers, on both backends: it reduces the layer's output error against nearest
 * rounding (measured here through the network, not through the refinement's own sums), rounds every
 * weight only down or up, and leaves weights exactly on the quantization grid.
 */
class AdaRoundRefinementTest {
  static List<Supplier<Backend>> backends() {
    return TestBackends.all();
  }

  private static final AdaRoundConfig FAST =
      new AdaRoundConfig(500, 256, 32, 1e-2, null, null, null, null);

  /** Checks that every weight is on its row's grid and one of the two neighbours of W/s. */
  private static void assertBakedOnGrid(WeightLayer layer, float[] before) {
    float[] w = layer.weight().value();
    QuantParams p = new QuantParams(layer.weightStep().value(), layer.weightZeroPoint().value());
    float[] q = new float[w.length];
    layer.quantization().weights().forward(w, p, q);
    assertThat(q).as("fake-quantizing the baked weights changes nothing").containsExactly(w);
    int k = layer.weight().rowSize();
    for (int i = 0; i < w.length; i++) {
      float s = p.step()[i / k];
      double level = Math.rint(w[i] / s);
      double original = before[i] / s;
      assertThat(level).isBetween(Math.floor(original) - 1e-6, Math.floor(original) + 1 + 1e-6);
    }
  }

  private static void check(RefinementFixture f, WeightLayer layer, AdaRoundConfig config) {
    f.quantize(4, 8);
    float[] latent = layer.weight().value().clone();
    double nearest = f.outputMse();
    List<LayerReport> reports =
        new AdaRoundRefinement(config).refine(f.net, f.data(), f.context(3));
    double learned = f.outputMse();
    assertThat(reports).hasSize(1);
    LayerReport r = reports.get(0);
    assertThat(r.layer()).isEqualTo(layer.name());
    assertThat(r.note()).isEmpty();
    assertThat(r.mseBefore())
        .isCloseTo(nearest, org.assertj.core.data.Percentage.withPercentage(1));
    assertThat(r.mseAfter()).isCloseTo(learned, org.assertj.core.data.Percentage.withPercentage(1));
    assertThat(learned).as("AdaRound vs nearest rounding").isLessThan(0.8 * nearest);
    assertBakedOnGrid(layer, latent);
    assertThat(f.events).containsExactly("adaround " + layer.name());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void reducesTheOutputErrorOfALinearLayerAgainstNearestRounding(Supplier<Backend> factory) {
    try (Backend backend = factory.get()) {
      Linear fc =
          new Linear(
              backend, "fc", 16, 8, QuantizedLayers.gaussian(new SplittableRandom(1), 128, 0.3));
      RefinementFixture f =
          new RefinementFixture(
              RefinementFixture.network(
                  backend, new FeatureShape(1, 1, 1, 16), new Flatten("flat"), fc),
              0.3,
              0.2,
              1,
              256,
              7);
      check(f, fc, FAST);
      f.net.release();
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void reducesTheOutputErrorOfAConvolutionAgainstNearestRounding(Supplier<Backend> factory) {
    try (Backend backend = factory.get()) {
      Conv2d conv =
          new Conv2d(
              backend,
              "conv",
              3,
              6,
              3,
              2,
              1,
              false,
              QuantizedLayers.gaussian(new SplittableRandom(2), 6 * 27, 0.3));
      RefinementFixture f =
          new RefinementFixture(
              RefinementFixture.network(backend, new FeatureShape(1, 6, 6, 3), conv),
              0.3,
              0,
              1,
              128,
              8);
      check(f, conv, new AdaRoundConfig(300, 128, 16, 1e-2, null, null, null, null));
      f.net.release();
    }
  }

  @Test
  void refinesEveryLayerInNetworkOrderAndIsDeterministic() {
    try (Backend backend = TestBackends.nd4j()) {
      float[][] results = new float[2][];
      for (int run = 0; run < 2; run++) {
        SplittableRandom r = new SplittableRandom(4);
        Conv2d c1 =
            new Conv2d(backend, "c1", 1, 4, 3, 1, 1, true, QuantizedLayers.gaussian(r, 36, 0.5));
        Conv2d c2 =
            new Conv2d(backend, "c2", 4, 4, 3, 2, 1, false, QuantizedLayers.gaussian(r, 144, 0.3));
        RefinementFixture f =
            new RefinementFixture(
                RefinementFixture.network(
                    backend, new FeatureShape(1, 6, 6, 1), c1, new ReLU(backend, "relu"), c2),
                1,
                0,
                64,
                9);
        f.quantize(3, 8);
        List<LayerReport> reports =
            new AdaRoundRefinement(new AdaRoundConfig(60, 64, 16, 1e-2, null, null, null, null))
                .refine(f.net, f.data(), f.context(5));
        assertThat(reports).extracting(LayerReport::layer).containsExactly("c1", "c2");
        assertThat(f.events).containsExactly("adaround c1", "adaround c2");
        assertThat(reports).allMatch(x -> x.mseAfter() <= x.mseBefore());
        results[run] = f.output();
        f.net.release();
      }
      assertThat(results[1]).containsExactly(results[0]);
    }
  }

  @Test
  void optionsAreValidatedWithTheirNames() {
    assertThat(AdaRoundConfig.DEFAULT.iterations()).isEqualTo(2000);
    assertThat(AdaRoundConfig.DEFAULT.samples()).isEqualTo(1024);
    assertThat(AdaRoundConfig.DEFAULT.batchSize()).isEqualTo(32);
    assertThat(AdaRoundConfig.DEFAULT.lr()).isEqualTo(1e-3);
    assertThat(AdaRoundConfig.DEFAULT.regularization()).isEqualTo(0.01);
    assertThat(AdaRoundConfig.DEFAULT.betaStart()).isEqualTo(20.0);
    assertThat(AdaRoundConfig.DEFAULT.betaEnd()).isEqualTo(2.0);
    assertThat(AdaRoundConfig.DEFAULT.warmup()).isEqualTo(0.2);
    assertThatThrownBy(() -> new AdaRoundConfig(0, null, null, null, null, null, null, null))
        .isInstanceOf(ConfigValueException.class)
        .hasMessage("iterations must be in [1, 10000000] (was 0)");
    assertThatThrownBy(() -> new AdaRoundConfig(null, null, null, -1.0, null, null, null, null))
        .hasMessage("lr must be a finite number > 0 (was -1.0)");
    assertThatThrownBy(() -> new AdaRoundConfig(null, null, null, null, null, 2.0, 20.0, null))
        .hasMessageStartingWith("betaEnd must be <= betaStart");
    assertThatThrownBy(() -> new AdaRoundConfig(null, null, null, null, null, null, null, 1.0))
        .hasMessage("warmup must be in [0, 1) (was 1.0)");
  }
}
