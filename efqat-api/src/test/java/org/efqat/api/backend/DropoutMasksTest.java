package org.efqat.api.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The counter-based mask reproduces SplittableRandom's sequence bit for bit. */
class DropoutMasksTest {
  @Test
  void elementIIsTheIthDrawOfSplittableRandom() {
    for (long seed : new long[] {0L, 1L, -7L, 0x7E3779B97F4A7C15L}) {
      SplittableRandom random = new SplittableRandom(seed);
      for (long i = 0; i < 10_000; i++) {
        assertThat(DropoutMasks.uniform(seed, i))
            .as("seed %d draw %d", seed, i)
            .isEqualTo(random.nextFloat());
      }
    }
  }

  @Test
  void masksKeepWithScaleAndDropWithZero() {
    float[] mask = new float[200_000];
    DropoutMasks.fill(FloatAccess.of(mask), mask.length, 42L, 0.25f);
    SplittableRandom random = new SplittableRandom(42L);
    int dropped = 0;
    for (float m : mask) {
      assertThat(m).isEqualTo(random.nextFloat() < 0.25f ? 0f : 1f / 0.75f);
      dropped += m == 0f ? 1 : 0;
    }
    assertThat(dropped / (double) mask.length).isBetween(0.24, 0.26);
  }
}
