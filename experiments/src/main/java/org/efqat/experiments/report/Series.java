package org.efqat.experiments.report;

import java.util.List;

/**
 * One line of a figure: the settings of one policy along one axis.
 *
 * @param label the legend entry, e.g. {@code cwpn} or {@code cwpn, f = 256}
 * @param policy the freeze policy, which picks the line's colour
 * @param points the settings in increasing {@code x}
 */
public record Series(String label, String policy, List<Point> points) {
  /** Copies the points. */
  public Series {
    points = List.copyOf(points);
  }

  /**
   * One setting on the line.
   *
   * @param x its position: the nominal p, or the interval in samples
   * @param group the setting; its {@link PointGroup#efqat()} is the height
   */
  public record Point(double x, PointGroup group) {}
}
