package org.efqat.api.freeze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnfrozenFractionTest {
  @ParameterizedTest(name = "ceil({0} * {1}) = {2}")
  @CsvSource({
    "0.1, 30, 3",
    "0.1, 31, 4",
    "0.25, 64, 16",
    "0.05, 16, 1",
    "0, 100, 0",
    "1, 100, 100",
    "0.3, 10, 3",
    "0.7, 10, 7",
    "0.001, 5, 1",
    "0.5, 0, 0",
    "1, 0, 0"
  })
  void isTheCeilingWithoutFloatingPointNoise(double p, long n, long expected) {
    assertThat(UnfrozenFraction.rows(p, n)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"1.5", "-0.1", "NaN"})
  void rejectsFractionsOutsideTheUnitInterval(double p) {
    assertThatThrownBy(() -> UnfrozenFraction.rows(p, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("p must be in [0, 1] (was " + p + ")");
  }
}
