package org.efqat.experiments.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ArrayDiffTest {
  @Test
  void relativeToTheLargestReferenceMagnitude() {
    ArrayDiff d = ArrayDiff.of(new float[] {10f, -20f, 0.001f}, new float[] {10.5f, -20f, 0f});
    assertThat(d.maxAbs()).isCloseTo(0.5, within(1e-6));
    assertThat(d.maxRel()).isCloseTo(0.5 / 20, within(1e-7));
    assertThat(d.index()).isZero();
    assertThat(d.within(0.03)).isTrue();
    assertThat(d.within(0.02)).isFalse();
  }

  @Test
  void identicalAndAllZeroArraysAgreeAndNanNeverDoes() {
    assertThat(ArrayDiff.of(new float[] {0f, 0f}, new float[] {0f, 0f}).maxRel()).isZero();
    assertThat(ArrayDiff.of(new float[] {1f, 2f}, new float[] {1f, 2f}).within(0)).isTrue();
    ArrayDiff nan = ArrayDiff.of(new float[] {1f, 2f}, new float[] {1f, Float.NaN});
    assertThat(nan.index()).isEqualTo(1);
    assertThat(nan.within(1e9)).isFalse();
  }

  @Test
  void rejectsDifferentLengths() {
    assertThatThrownBy(() -> ArrayDiff.of(new float[2], new float[3]))
        .hasMessageContaining("2 vs 3");
  }
}
