package org.efqat.core.importance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.efqat.api.importance.LayerImportance;
import org.efqat.api.importance.WeightRows;
import org.junit.jupiter.api.Test;

class MeanAbsImportanceMetricTest {
  private final MeanAbsImportanceMetric metric = new MeanAbsImportanceMetric();

  @Test
  void scoresEachRowByItsMeanAbsoluteWeight() {
    float[] w = {1, -3, 2, 0, 0, 0, -0.5f, 0.5f, 0.25f};
    LayerImportance s = metric.score(WeightRows.of("conv1", 3, 3, w));
    assertThat(s.layer()).isEqualTo("conv1");
    assertThat(s.scores()).containsExactly(2.0, 0.0, 0.4166666666666667);
  }

  @Test
  void handlesLayersWithoutRowsOrColumns() {
    assertThat(metric.score(WeightRows.of("e", 0, 5, new float[0])).rows()).isZero();
    assertThat(metric.score(WeightRows.of("k0", 2, 0, new float[0])).scores())
        .containsExactly(0.0, 0.0);
  }

  @Test
  void rejectsAWrongWeightCountAndNonFiniteWeights() {
    assertThatThrownBy(() -> WeightRows.of("fc", 2, 3, new float[5]))
        .hasMessage("layer fc: weights has 5 values, expected [2, 3]");
    assertThatThrownBy(() -> metric.score(WeightRows.of("fc", 1, 2, new float[] {1, Float.NaN})))
        .hasMessageContaining("layer fc row 0 is NaN");
  }
}
