package org.efqat.experiments.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The median and spread of repeated measurements (milliseconds).
 *
 * @param median the median
 * @param p25 the first quartile
 * @param p75 the third quartile
 * @param min the smallest
 * @param max the largest
 * @param n how many
 */
public record Spread(double median, double p25, double p75, double min, double max, int n) {
  /**
   * @param values the measurements (not modified)
   * @return their spread; all NaN when empty
   */
  public static Spread of(List<Double> values) {
    if (values.isEmpty()) {
      return new Spread(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
    }
    List<Double> v = new ArrayList<>(values);
    v.sort(Double::compare);
    return new Spread(
        quantile(v, 0.5),
        quantile(v, 0.25),
        quantile(v, 0.75),
        v.get(0),
        v.get(v.size() - 1),
        v.size());
  }

  /** Linear interpolation between the closest ranks of a sorted list. */
  private static double quantile(List<Double> sorted, double q) {
    double pos = q * (sorted.size() - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, sorted.size() - 1);
    return sorted.get(lo) + (pos - lo) * (sorted.get(hi) - sorted.get(lo));
  }
}
