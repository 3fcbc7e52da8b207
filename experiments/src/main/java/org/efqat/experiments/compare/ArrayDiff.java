package org.efqat.experiments.compare;

/**
 * How far one array is from a reference of the same length.
 *
 * @param maxAbs {@code max_i |x_i − ref_i|}
 * @param maxRel {@code maxAbs / max_i |ref_i|}: relative to the reference's largest magnitude, so
 *     that values near zero do not blow it up (0 when both are all zeros)
 * @param index where {@code maxAbs} is reached (-1 for empty arrays)
 */
public record ArrayDiff(double maxAbs, double maxRel, int index) {
  /**
   * @param ref the reference
   * @param x the other array
   * @return the difference
   * @throws IllegalArgumentException if the lengths differ
   */
  public static ArrayDiff of(float[] ref, float[] x) {
    if (ref.length != x.length) {
      throw new IllegalArgumentException(
          "arrays differ in length: " + ref.length + " vs " + x.length);
    }
    double maxAbs = 0;
    double scale = 0;
    int at = ref.length == 0 ? -1 : 0;
    for (int i = 0; i < ref.length; i++) {
      double d = Math.abs((double) x[i] - ref[i]);
      if (d > maxAbs || Double.isNaN(d)) {
        maxAbs = d;
        at = i;
      }
      scale = Math.max(scale, Math.abs(ref[i]));
    }
    double rel = maxAbs == 0 ? 0 : scale == 0 ? Double.POSITIVE_INFINITY : maxAbs / scale;
    return new ArrayDiff(maxAbs, rel, at);
  }

  /**
   * @param relTolerance the largest acceptable {@link #maxRel()}
   * @return whether this difference is within it (NaN never is)
   */
  public boolean within(double relTolerance) {
    return maxRel <= relTolerance;
  }
}
