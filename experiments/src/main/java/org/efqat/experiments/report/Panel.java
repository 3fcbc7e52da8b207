package org.efqat.experiments.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The points of one bit width (and of one value of every other dimension that varies between points
 * and is not a setting: the backend, the model, a swept learning rate, ...). Each figure and table
 * of the report is drawn per panel.
 *
 * @param label its title, e.g. {@code W4A4} or {@code W4A4 · tf}
 * @param slug its file-name part, e.g. {@code w4a4-tf}
 * @param points its points in input order
 * @param groups its settings in policy order ({@link ReportModel#policyOrder}), then by p and
 *     interval
 * @param references its PTQ, {@code none} and plain-QAT levels
 */
public record Panel(
    String label,
    String slug,
    List<ReportPoint> points,
    List<PointGroup> groups,
    References references) {
  /** Copies the lists. */
  public Panel {
    Objects.requireNonNull(label, "label is null");
    points = List.copyOf(points);
    groups = List.copyOf(groups);
  }

  /**
   * @return whether its finished row-picking settings use more than one refresh interval
   */
  public boolean intervalVaries() {
    return groups.stream()
            .filter(g -> g.setting().picksRows() && g.efqat() != null)
            .map(g -> g.setting().interval())
            .distinct()
            .count()
        > 1;
  }

  /**
   * The lines of accuracy versus the nominal p: one per row-picking policy (and per interval when
   * the panel varies it), finished settings with a p only.
   *
   * @return the lines, in policy order
   */
  public List<Series> pSeries() {
    boolean byInterval = intervalVaries();
    return series(
        g -> g.setting().p(),
        g ->
            g.setting().policy() + (byInterval ? ", f = " + interval(g.setting().interval()) : ""));
  }

  /**
   * The lines of accuracy versus the refresh interval: one per row-picking policy and p, when the
   * panel varies the interval.
   *
   * @return the lines, in policy order; empty when the interval does not vary
   */
  public List<Series> intervalSeries() {
    if (!intervalVaries()) {
      return List.of();
    }
    return series(
        g -> g.setting().interval() == null ? null : g.setting().interval().doubleValue(),
        g -> g.setting().policy() + ", p = " + number(g.setting().p()));
  }

  /**
   * @return the finished settings that have a backward time (every policy, none and all included)
   */
  public List<PointGroup> timedGroups() {
    return groups.stream().filter(g -> g.efqat() != null && g.backwardMs() != null).toList();
  }

  /**
   * @return the finished settings whose policy picks rows
   */
  public List<PointGroup> efqatGroups() {
    return groups.stream().filter(g -> g.setting().picksRows() && g.efqat() != null).toList();
  }

  private List<Series> series(Function<PointGroup, Double> x, Function<PointGroup, String> label) {
    Map<String, List<Series.Point>> lines = new LinkedHashMap<>();
    Map<String, String> policies = new LinkedHashMap<>();
    for (PointGroup g : efqatGroups()) {
      Double at = x.apply(g);
      if (at == null) {
        continue;
      }
      String l = label.apply(g);
      lines.computeIfAbsent(l, k -> new ArrayList<>()).add(new Series.Point(at, g));
      policies.put(l, g.setting().policy());
    }
    List<Series> out = new ArrayList<>();
    lines.forEach(
        (l, pts) -> {
          List<Series.Point> sorted = new ArrayList<>(pts);
          sorted.sort(Comparator.comparingDouble(Series.Point::x));
          out.add(new Series(l, policies.get(l), sorted));
        });
    return out;
  }

  /**
   * @param p a fraction, or {@code null}
   * @return it without trailing zeros ({@code 0.1}, {@code 1}), {@code ?} for {@code null}
   */
  static String number(Double p) {
    if (p == null) {
      return "?";
    }
    return new java.math.BigDecimal(String.format(Locale.ROOT, "%.6g", p))
        .stripTrailingZeros()
        .toPlainString();
  }

  /**
   * @param f an interval in samples, or {@code null}
   * @return it as text, {@code ?} for {@code null}
   */
  static String interval(Long f) {
    return f == null ? "?" : Long.toString(f);
  }
}
