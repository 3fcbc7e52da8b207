package org.efqat.models.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import org.junit.jupiter.api.Test;

class NormalizationTest {
  @Test
  void appliesPerChannel() {
    Normalization n = Normalization.of(new double[] {0.5, 0.25}, new double[] {0.5, 2});
    float[] v = {9, 1, 0, 0.5f, 0.25f, 1};
    n.apply(v, 2, 4);
    assertThat(v).containsExactly(9, 1, -1, 0.125f, -0.5f, 0.375f);
    assertThatThrownBy(() -> n.apply(v, 0, 3))
        .hasMessage("3 values are not whole pixels of 2 channels");
  }

  @Test
  void fromDataMeasuresMeanAndStd() {
    ImageDataset d =
        ImageDataset.of(
            "d", 1, 2, 2, 2, new float[] {0, 1, 1, 1, 0.5f, 1, 0.5f, 1}, new int[] {0, 1});
    Normalization n = Normalization.fromData(d);
    assertThat(n.mean(0)).isEqualTo(0.5f);
    assertThat(n.std(0)).isCloseTo((float) Math.sqrt(0.125), offset(1e-7f));
    assertThat(n.mean(1)).isEqualTo(1f);
    assertThat(n.std(1)).isEqualTo(1f); // constant channel
  }

  @Test
  void rejectsBadParameters() {
    assertThatThrownBy(() -> Normalization.of(new double[] {0}, new double[] {0}))
        .hasMessage("channel 0: mean must be finite and std finite and > 0, got mean 0.0, std 0.0");
    assertThatThrownBy(() -> Normalization.of(new double[] {0, 1}, new double[] {1}))
        .hasMessage("mean and std need the same, non-zero number of channels, got 2 and 1");
  }
}
