package org.efqat.experiments.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.efqat.core.sweep.PointStatus;

/**
 * A study's points grouped for the report: one {@link Panel} per bit width (and per value of any
 * other dimension that varies and is not a setting), in each panel one {@link PointGroup} per
 * setting (policy, nominal p, interval) holding its seeds, with the mean and sample standard
 * deviation of what they measured, and the PTQ, {@code none} and plain-QAT levels with the share of
 * the PTQ→QAT gap each setting closes and its backward speedup over QAT.
 *
 * @param source what was read
 * @param panels the panels, widest bit widths first
 * @param unplaced points without a run folder yet (pending), which have no config to place them by
 */
public record ReportModel(ReportSource source, List<Panel> panels, List<ReportPoint> unplaced) {
  /** The paper's policies first, in its order; others follow alphabetically, then none and all. */
  static final List<String> POLICY_ORDER = List.of("cwpl", "cwpn", "lwpn", "random");

  /** Copies the lists. */
  public ReportModel {
    Objects.requireNonNull(source, "source is null");
    panels = List.copyOf(panels);
    unplaced = List.copyOf(unplaced);
  }

  /**
   * @param source the points
   * @return them grouped
   */
  public static ReportModel of(ReportSource source) {
    List<ReportPoint> placed = new ArrayList<>();
    List<ReportPoint> unplaced = new ArrayList<>();
    for (ReportPoint p : source.points()) {
      (p.facts() == null ? unplaced : placed).add(p);
    }
    List<Dimension> varying = varyingDimensions(placed);
    Map<String, List<ReportPoint>> byPanel = new LinkedHashMap<>();
    List<ReportPoint> ordered = new ArrayList<>(placed);
    ordered.sort(
        Comparator.comparing(
                (ReportPoint p) -> p.facts().weightBits(),
                Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(
                p -> p.facts().activationBits(), Comparator.nullsLast(Comparator.reverseOrder())));
    // a stable sort: the points of a panel stay in input order
    for (ReportPoint p : ordered) {
      byPanel.computeIfAbsent(panelLabel(p, varying), k -> new ArrayList<>()).add(p);
    }
    List<Panel> panels = new ArrayList<>();
    Set<String> slugs = new LinkedHashSet<>();
    byPanel.forEach(
        (label, points) -> {
          String slug = slug(label);
          String unique = slug;
          for (int i = 2; !slugs.add(unique); i++) {
            unique = slug + "-" + i;
          }
          panels.add(panel(label, unique, points));
        });
    return new ReportModel(source, panels, unplaced);
  }

  /**
   * @return every point that failed, in input order
   */
  public List<ReportPoint> failed() {
    return source.points().stream().filter(p -> p.status() == PointStatus.FAILED).toList();
  }

  /**
   * The run whose row importance stands for the study (Figure 3): the first finished plain-QAT
   * point, or else the first finished point.
   *
   * @return it, or {@code null} when no point finished
   */
  public ReportPoint representative() {
    List<ReportPoint> done = source.points().stream().filter(ReportPoint::done).toList();
    return done.stream()
        .filter(p -> p.facts() != null && RunFacts.QAT.equals(p.facts().policy()))
        .findFirst()
        .orElse(done.isEmpty() ? null : done.get(0));
  }

  /**
   * @param policy a policy name
   * @return its rank: the paper's policies first, then others alphabetically, none and all last
   */
  static String policyKey(String policy) {
    if (policy == null) {
      return "9";
    }
    int i = POLICY_ORDER.indexOf(policy);
    if (i >= 0) {
      return "0" + i;
    }
    if (RunFacts.NONE.equals(policy)) {
      return "2";
    }
    if (RunFacts.QAT.equals(policy)) {
      return "3";
    }
    return "1" + policy;
  }

  private static Panel panel(String label, String slug, List<ReportPoint> points) {
    Map<PointGroup.Setting, List<ReportPoint>> bySetting = new LinkedHashMap<>();
    for (ReportPoint p : points) {
      bySetting.computeIfAbsent(PointGroup.Setting.of(p.facts()), k -> new ArrayList<>()).add(p);
    }
    References refs = references(points);
    List<PointGroup> groups = new ArrayList<>();
    bySetting.forEach(
        (s, pts) -> {
          List<ReportPoint> done = pts.stream().filter(ReportPoint::done).toList();
          Stats acc = stats(done, ReportPoint::efqatAccuracy);
          Stats bwd = stats(done, ReportPoint::backwardMs);
          groups.add(
              new PointGroup(
                  s,
                  pts,
                  acc,
                  stats(done, ReportPoint::ptqAccuracy),
                  stats(done, ReportPoint::fpAccuracy),
                  stats(done, ReportPoint::unfrozenFraction),
                  bwd,
                  acc == null ? null : refs.closed(acc.mean()),
                  bwd == null ? null : refs.speedup(bwd.mean())));
        });
    groups.sort(
        Comparator.comparing((PointGroup g) -> policyKey(g.setting().policy()))
            .thenComparing(g -> g.setting().p(), Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(
                g -> g.setting().interval(), Comparator.nullsLast(Comparator.naturalOrder())));
    return new Panel(label, slug, points, groups, refs);
  }

  private static References references(List<ReportPoint> points) {
    List<ReportPoint> qat = withPolicy(points, RunFacts.QAT);
    return new References(
        perSeed(points, ReportPoint::fpAccuracy),
        perSeed(points, ReportPoint::ptqAccuracy),
        stats(withPolicy(points, RunFacts.NONE), ReportPoint::efqatAccuracy),
        stats(qat, ReportPoint::efqatAccuracy),
        stats(qat, ReportPoint::backwardMs));
  }

  private static List<ReportPoint> withPolicy(List<ReportPoint> points, String policy) {
    return points.stream().filter(p -> p.done() && policy.equals(p.facts().policy())).toList();
  }

  /** One value per seed (the mean of its points'; they share the stage), then over the seeds. */
  private static Stats perSeed(List<ReportPoint> points, Function<ReportPoint, Double> value) {
    Map<Object, List<Double>> bySeed = new LinkedHashMap<>();
    for (ReportPoint p : points) {
      Double v = value.apply(p);
      if (v != null) {
        Object seed = p.facts().seed() == null ? p.id() : p.facts().seed();
        bySeed.computeIfAbsent(seed, k -> new ArrayList<>()).add(v);
      }
    }
    List<Double> means = new ArrayList<>();
    bySeed.values().forEach(v -> means.add(Stats.of(v).mean()));
    return Stats.of(means);
  }

  private static Stats stats(List<ReportPoint> points, Function<ReportPoint, Double> value) {
    List<Double> v = new ArrayList<>();
    points.forEach(p -> v.add(value.apply(p)));
    return Stats.of(v);
  }

  /**
   * A dimension that splits panels when it varies.
   *
   * @param name its name
   * @param value a point's value as shown in the panel label; {@code null} when unknown
   * @param silentWhenAbsent whether an unknown value is left out of the label (a swept path the
   *     point does not set, so it has the base's value)
   */
  private record Dimension(
      String name, Function<ReportPoint, String> value, boolean silentWhenAbsent) {}

  private static List<Dimension> varyingDimensions(List<ReportPoint> points) {
    List<Dimension> all = new ArrayList<>();
    all.add(new Dimension("backend", p -> p.facts().backend(), false));
    all.add(new Dimension("model", p -> p.facts().model(), false));
    all.add(new Dimension("dataset", p -> p.facts().dataset(), false));
    Set<String> extras = new LinkedHashSet<>();
    points.forEach(p -> extras.addAll(p.extras().keySet()));
    for (String path : extras) {
      all.add(
          new Dimension(
              path,
              p -> p.extras().containsKey(path) ? path + "=" + p.extras().get(path) : null,
              true));
    }
    return all.stream().filter(d -> points.stream().map(d.value()).distinct().count() > 1).toList();
  }

  private static String panelLabel(ReportPoint p, List<Dimension> varying) {
    StringBuilder b = new StringBuilder(p.facts().bitsLabel());
    for (Dimension d : varying) {
      String v = d.value().apply(p);
      if (v != null || !d.silentWhenAbsent()) {
        b.append(" · ").append(v == null ? d.name() + " unknown" : v);
      }
    }
    return b.toString();
  }

  /**
   * @param label a panel label
   * @return a file-name part: lower case letters, digits and single dashes
   */
  static String slug(String label) {
    String s =
        label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    return s.isEmpty() ? "panel" : s;
  }
}
