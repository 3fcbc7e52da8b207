package org.efqat.core.nn;

import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.efqat.api.backend.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Transformer's element-wise and normalization layers (LayerNorm, exact GELU, dropout) against
 * central finite differences on every backend (see {@link GradientCheck}).
 */
class SequenceLayerGradientTest {

  static Stream<Supplier<Backend>> backends() {
    return TestBackends.all().stream();
  }

  @ParameterizedTest
  @MethodSource("backends")
  void layerNormWithScaleAndShift(Supplier<Backend> factory) {
    try (Backend backend = factory.get()) {
      LayerNorm norm = new LayerNorm(backend, "ln", 7, 1e-5f);
      SplittableRandom r = new SplittableRandom(3);
      for (int i = 0; i < 7; i++) {
        norm.gamma().value()[i] = (float) (0.5 + r.nextDouble());
        norm.beta().value()[i] = (float) (r.nextDouble() - 0.5);
      }
      new GradientCheck(backend, norm, new FeatureShape(2, 1, 3, 7), 21).run(30);
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void exactGelu(Supplier<Backend> factory) {
    try (Backend backend = factory.get()) {
      new GradientCheck(backend, new Gelu(backend, "gelu"), new FeatureShape(2, 1, 4, 5), 22)
          .run(30);
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void dropoutWithAFixedStep(Supplier<Backend> factory) {
    try (Backend backend = factory.get()) {
      Dropout dropout = new Dropout(backend, "drop", 0.3f, 99);
      dropout.setTrainingStep(5);
      new GradientCheck(backend, dropout, new FeatureShape(2, 1, 4, 6), 23).run(30);
    }
  }
}
