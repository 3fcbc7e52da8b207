package org.efqat.experiments.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpreadTest {
  @Test
  void quartilesInterpolateBetweenRanks() {
    Spread s = Spread.of(List.of(4.0, 1.0, 3.0, 2.0, 100.0));
    assertThat(s.median()).isEqualTo(3.0);
    assertThat(s.p25()).isEqualTo(2.0);
    assertThat(s.p75()).isEqualTo(4.0);
    assertThat(s.min()).isEqualTo(1.0);
    assertThat(s.max()).isEqualTo(100.0);
    assertThat(s.n()).isEqualTo(5);
    Spread even = Spread.of(List.of(1.0, 2.0, 3.0, 4.0));
    assertThat(even.median()).isEqualTo(2.5);
    assertThat(even.p25()).isEqualTo(1.75);
  }

  @Test
  void noValuesGiveNaN() {
    Spread s = Spread.of(List.of());
    assertThat(s.median()).isNaN();
    assertThat(s.n()).isZero();
  }
}
