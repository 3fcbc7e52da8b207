package org.efqat.api.freeze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RowSelectionTest {
  @Test
  void sortsRowsAndCounts() {
    RowSelection s = RowSelection.builder().addLayer("a", 4, 3, 0).addLayer("b", 2).build();
    assertThat(s.unfrozenRows("a")).containsExactly(0, 3);
    assertThat(s.isUnfrozen("a", 3)).isTrue();
    assertThat(s.isUnfrozen("a", 1)).isFalse();
    assertThat(s.totalUnfrozen()).isEqualTo(2);
    assertThat(s.totalRows()).isEqualTo(6);
    assertThat(s.unfrozenFraction()).isEqualTo(1.0 / 3);
    assertThat(s.toString()).isEqualTo("RowSelection[a 2/4 b 0/2 fraction=0.3333]");
  }

  @Test
  void rejectsRowsOutOfRangeDuplicatesAndUnknownLayers() {
    assertThatThrownBy(() -> RowSelection.builder().addLayer("a", 4, 4))
        .hasMessage("layer a: row 4 outside [0, 4)");
    assertThatThrownBy(() -> RowSelection.builder().addLayer("a", 4, 1, 1))
        .hasMessage("layer a: row 1 twice");
    assertThatThrownBy(() -> RowSelection.builder().addLayer("a", 4).addLayer("a", 4))
        .hasMessage("layer a added twice");
    RowSelection s = RowSelection.builder().addLayer("a", 1).build();
    assertThatThrownBy(() -> s.unfrozenRows("b"))
        .hasMessage("layer b is not in the selection; layers: [a]");
  }

  @Test
  void returnsCopies() {
    RowSelection s = RowSelection.builder().addLayer("a", 4, 1).build();
    s.unfrozenRows("a")[0] = 3;
    assertThat(s.unfrozenRows("a")).containsExactly(1);
  }
}
