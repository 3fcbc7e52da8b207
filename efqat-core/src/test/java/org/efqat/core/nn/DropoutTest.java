package org.efqat.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.efqat.api.backend.Backend;
import org.efqat.api.backend.Tensor;
import org.junit.jupiter.api.Test;

class DropoutTest {

  private static float[] run(Backend backend, Dropout dropout, float[] x, boolean training) {
    try (Tensor t = backend.ops().fromArray(x, 1, 1, x.length, 1)) {
      return backend
          .ops()
          .toArray(
              dropout
                  .forward(new Activation(t, new FeatureShape(1, 1, x.length, 1)), training)
                  .tensor());
    }
  }

  @Test
  void zeroesAboutPAndScalesTheRestAndIsAFunctionOfSeedAndStep() {
    try (Backend backend = TestBackends.nd4j()) {
      float[] ones = new float[20_000];
      java.util.Arrays.fill(ones, 1f);
      Dropout a = new Dropout(backend, "a", 0.25f, 7);
      a.setTrainingStep(3);
      float[] y = run(backend, a, ones, true);
      long zeros = 0;
      for (float v : y) {
        assertThat(v).isIn(0f, 1f / 0.75f);
        zeros += v == 0f ? 1 : 0;
      }
      assertThat(zeros / 20_000.0).isBetween(0.23, 0.27);
      Dropout b = new Dropout(backend, "b", 0.25f, 7);
      b.setTrainingStep(3);
      assertThat(run(backend, b, ones, true)).containsExactly(y);
      b.setTrainingStep(4);
      assertThat(run(backend, b, ones, true)).isNotEqualTo(y);
      assertThat(run(backend, b, ones, false)).containsOnly(1f);
    }
  }

  @Test
  void rejectsAProbabilityOutsideZeroToOne() {
    try (Backend backend = TestBackends.nd4j()) {
      assertThatThrownBy(() -> new Dropout(backend, "d", 1f, 0))
          .hasMessageContaining("d: dropout probability must be in [0, 1)");
    }
  }
}
