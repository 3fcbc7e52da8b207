package org.efqat.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The reference error function against tabulated values (SciPy's {@code erf}/{@code erfc}). */
class ReferenceMathTest {
  @ParameterizedTest(name = "erf({0})")
  @CsvSource({
    "1e-8, 1.1283791670955126e-08",
    "0.5, 0.5204998778130465",
    "1, 0.8427007929497149",
    "2, 0.9953222650189527",
    "2.9, 0.9999589021219005",
    "3.1, 0.9999883513426328",
    "4, 0.9999999845827421"
  })
  void erfMatchesTheTable(double x, double expected) {
    assertThat(Math.abs(ReferenceMath.erf(x) - expected)).isLessThan(1e-15 * expected);
    assertThat(ReferenceMath.erf(-x)).isEqualTo(-ReferenceMath.erf(x));
  }

  @ParameterizedTest(name = "erfc({0})")
  @CsvSource({
    "-1, 1.8427007929497148",
    "0.3, 0.6713732405408726",
    "1.9, 0.007209570764742524",
    "2, 0.004677734981047266",
    "3, 2.209049699858544e-05",
    "5, 1.5374597944280349e-12",
    "10, 2.088487583762545e-45"
  })
  void erfcKeepsItsRelativeAccuracyInTheTail(double x, double expected) {
    assertThat(Math.abs(ReferenceMath.erfc(x) - expected)).isLessThan(1e-13 * expected);
  }
}
