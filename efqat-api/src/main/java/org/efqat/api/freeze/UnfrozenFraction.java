package org.efqat.api.freeze;

/**
 * How many rows an unfrozen fraction {@code p} means: {@code ⌈p·n⌉}, computed so that floating
 * point noise does not add a row ({@code ⌈0.1·30⌉} is 3, not the 4 that {@code Math.ceil(0.1*30)}
 * gives).
 */
public final class UnfrozenFraction {
  /** Products within this distance above an integer count as that integer. */
  private static final double SLACK = 1e-9;

  private UnfrozenFraction() {}

  /**
   * @param p the unfrozen fraction, in {@code [0, 1]}
   * @param n the number of rows, {@code >= 0}
   * @return {@code ⌈p·n⌉}, in {@code [0, n]}
   * @throws IllegalArgumentException if {@code p} is outside {@code [0, 1]} or {@code n < 0}
   */
  public static long rows(double p, long n) {
    requireFraction(p);
    if (n < 0) {
      throw new IllegalArgumentException("row count must be >= 0 (was " + n + ")");
    }
    long k = (long) Math.ceil(p * n - SLACK * Math.max(1, n));
    return Math.max(0, Math.min(n, k));
  }

  /**
   * @param p a candidate fraction
   * @return {@code p}
   * @throws IllegalArgumentException if {@code p} is NaN or outside {@code [0, 1]}
   */
  public static double requireFraction(double p) {
    if (!(p >= 0.0 && p <= 1.0)) {
      throw new IllegalArgumentException("p must be in [0, 1] (was " + p + ")");
    }
    return p;
  }
}
