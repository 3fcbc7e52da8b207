package org.efqat.experiments.report;

import java.util.Collection;

/**
 * The mean and spread of one quantity over the runs of a setting (usually its seeds).
 *
 * @param mean the arithmetic mean, in the quantity's unit
 * @param std the sample standard deviation (divisor {@code n − 1}), in the same unit; 0 when {@code
 *     n = 1}
 * @param n how many values
 */
public record Stats(double mean, double std, int n) {
  /** Checks the count. */
  public Stats {
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1 (was " + n + ")");
    }
  }

  /**
   * @param values the values; {@code null} entries are skipped
   * @return their mean and sample standard deviation, or {@code null} when there is no value
   */
  public static Stats of(Collection<Double> values) {
    double sum = 0;
    int n = 0;
    for (Double v : values) {
      if (v != null) {
        sum += v;
        n++;
      }
    }
    if (n == 0) {
      return null;
    }
    double mean = sum / n;
    double squares = 0;
    for (Double v : values) {
      if (v != null) {
        squares += (v - mean) * (v - mean);
      }
    }
    return new Stats(mean, n > 1 ? Math.sqrt(squares / (n - 1)) : 0, n);
  }

  /**
   * @param value one value
   * @return it, with spread 0
   */
  public static Stats single(double value) {
    return new Stats(value, 0, 1);
  }

  /**
   * @param factor a scale, e.g. 100 for fractions to percent
   * @return mean and spread times {@code factor}
   */
  public Stats times(double factor) {
    return new Stats(mean * factor, std * Math.abs(factor), n);
  }
}
