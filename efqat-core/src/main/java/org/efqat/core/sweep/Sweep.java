package org.efqat.core.sweep;

import java.nio.file.Path;
import java.util.List;
import org.efqat.core.config.ResolvedExperiment;

/**
 * An expanded sweep.
 *
 * @param base the base experiment (the file without its {@code sweep:} section)
 * @param axes the grid's paths, in file order (each point's values start with these)
 * @param points every point, in order
 * @param folder the sweep folder, {@code <output>/<name>} of the base: {@code sweep.json}, {@code
 *     sweep.md}, {@code points/}, {@code stages/}
 */
public record Sweep(
    ResolvedExperiment base, List<String> axes, List<SweepPoint> points, Path folder) {
  /** Copies the lists. */
  public Sweep {
    axes = List.copyOf(axes);
    points = List.copyOf(points);
  }

  /**
   * @param index a point's index
   * @return the point
   * @throws IllegalArgumentException if there is no such point
   */
  public SweepPoint point(int index) {
    if (index < 0 || index >= points.size()) {
      throw new IllegalArgumentException(
          "the sweep has points 0 to " + (points.size() - 1) + ", not " + index);
    }
    return points.get(index);
  }
}
