package org.efqat.testkit;

import static org.assertj.core.api.Assertions.fail;

/** Element-wise comparisons with numpy's {@code allclose} rule, reporting the first mismatch. */
public final class TensorAssertions {
  private TensorAssertions() {}

  /**
   * Asserts {@code |actual[i] − expected[i]| <= atol + rtol·|expected[i]|} for every {@code i}.
   *
   * @param actual the computed values
   * @param expected the reference values
   * @param rtol relative tolerance
   * @param atol absolute tolerance
   */
  public static void assertAllClose(float[] actual, double[] expected, double rtol, double atol) {
    if (actual.length != expected.length) {
      fail("length " + actual.length + ", expected " + expected.length);
    }
    for (int i = 0; i < actual.length; i++) {
      double diff = Math.abs(actual[i] - expected[i]);
      if (!(diff <= atol + rtol * Math.abs(expected[i]))) {
        fail(
            String.format(
                "element %d of %d: %s, expected %s (|diff| %.3g > atol %.1g + rtol %.1g * |expected|)",
                i, actual.length, actual[i], expected[i], diff, atol, rtol));
      }
    }
  }

  /**
   * @param actual the computed values
   * @param expected the reference values
   * @param rtol relative tolerance
   * @param atol absolute tolerance
   */
  public static void assertAllClose(float[] actual, float[] expected, double rtol, double atol) {
    double[] e = new double[expected.length];
    for (int i = 0; i < e.length; i++) {
      e[i] = expected[i];
    }
    assertAllClose(actual, e, rtol, atol);
  }
}
