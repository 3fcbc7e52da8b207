package org.efqat.experiments.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.efqat.core.profile.LayerProfiler.Phase;
import org.efqat.core.train.StepTimings;

/**
 * The tables and JSON of {@code efqat bench}. The backward speedup of a configuration is the median
 * backward time at {@code p = 1} (plain QAT: every row trains) of the same backend and policy
 * divided by its own; the ideal {@code 2/(1+p)} assumes the backward pass is the input gradient
 * plus the weight gradient at equal cost, the latter shrinking with {@code p}.
 */
final class BenchReport {
  private final BenchSpec spec;
  private final List<ConfigResult> results;

  BenchReport(BenchSpec spec, List<ConfigResult> results) {
    this.spec = spec;
    this.results = results;
  }

  /**
   * @return the ideal backward speedup {@code 2/(1+p)}
   */
  static double ideal(double p) {
    return 2 / (1 + p);
  }

  /**
   * @param r a configuration
   * @return its backward speedup over {@code p = 1} of the same backend and policy, or NaN
   */
  double speedup(ConfigResult r) {
    return baseline(r)
        .map(b -> Spread.of(b.backward).median() / Spread.of(r.backward).median())
        .orElse(Double.NaN);
  }

  /**
   * @param r a configuration
   * @return its whole-step time relative to {@code p = 1}, or NaN
   */
  double stepRatio(ConfigResult r) {
    return baseline(r)
        .map(b -> Spread.of(r.step).median() / Spread.of(b.step).median())
        .orElse(Double.NaN);
  }

  /** Plain QAT on the same backend: the same policy at p = 1, else any row training every row. */
  private java.util.Optional<ConfigResult> baseline(ConfigResult r) {
    var sameBackend = results.stream().filter(b -> b.backend.equals(r.backend)).toList();
    return sameBackend.stream()
        .filter(b -> b.policy.equals(r.policy) && b.p == 1.0)
        .findFirst()
        .or(() -> sameBackend.stream().filter(b -> b.fraction() == 1.0).findFirst());
  }

  /**
   * @return the whole-model table as aligned text
   */
  String summaryTable() {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "%-7s %-6s %5s %6s | %13s | %13s %7s %7s %7s | %13s |" + " %7s %7s %6s | %6s%n",
            "backend",
            "policy",
            "p",
            "rows",
            "forward ms",
            "backward ms",
            "dX",
            "dW",
            "rest",
            "step ms",
            "bwd x",
            "ideal",
            "of id.",
            "step/QAT"));
    for (ConfigResult r : results) {
      Spread f = Spread.of(r.forward);
      Spread b = Spread.of(r.backward);
      Spread st = Spread.of(r.step);
      double sp = speedup(r);
      s.append(
          String.format(
              Locale.ROOT,
              "%-7s %-6s %5s %5.1f%% | %s | %s %7.1f %7.1f %7.1f |"
                  + " %s | %7.2f %7.2f %5.0f%% | %6.2f%n",
              r.backend,
              r.policy,
              BenchRunner.fmt(r.p),
              100 * r.unfrozenFraction,
              cell(f),
              cell(b),
              Spread.of(r.inputGradient).median(),
              Spread.of(r.weightGradient).median(),
              Spread.of(r.rest()).median(),
              cell(st),
              sp,
              ideal(r.fraction()),
              100 * sp / ideal(r.fraction()),
              stepRatio(r)));
    }
    return s.toString();
  }

  /**
   * @param backend a backend
   * @param policy a policy
   * @return per-layer medians (forward, dX, and dW for every p) as aligned text
   */
  String layerTable(String backend, String policy) {
    List<ConfigResult> rs =
        results.stream().filter(r -> r.backend.equals(backend) && r.policy.equals(policy)).toList();
    if (rs.isEmpty()) {
      return "";
    }
    String title = "layer (" + backend + ", " + policy + ")";
    int width = title.length();
    for (ConfigResult r : rs) {
      for (String layer : r.layers.keySet()) {
        width = Math.max(width, layer.length());
      }
    }
    String name = "%-" + width + "s";
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, name + " %8s %8s %8s", title, "fwd", "bwd", "dX"));
    for (ConfigResult r : rs) {
      s.append(String.format(Locale.ROOT, " %9s", "dW p=" + BenchRunner.fmt(r.p)));
    }
    s.append("   (ms, medians; bwd and dX at p=")
        .append(BenchRunner.fmt(rs.get(0).p))
        .append("; -: not timed on its own)\n");
    ConfigResult first = rs.get(0);
    for (String layer : forwardOrder(first.layers)) {
      Map<Phase, List<Double>> m = first.layers.get(layer);
      s.append(String.format(Locale.ROOT, name, layer))
          .append(ms(8, med(m, Phase.FORWARD)))
          .append(ms(8, med(m, Phase.BACKWARD)))
          .append(ms(8, med(m, Phase.INPUT_GRADIENT)));
      for (ConfigResult r : rs) {
        s.append(ms(9, med(r.layers.getOrDefault(layer, Map.of()), Phase.WEIGHT_GRADIENT)));
      }
      s.append('\n');
    }
    return s.toString();
  }

  /**
   * @param layers layer → phases, in the order of their first record
   * @return the layer names in forward order: a layer without a forward time of its own (the
   *     attention's query, key and value, which run inside the attention layer and record only dX
   *     and dW, first in the backward pass) right after the layer whose name prefixes it
   */
  static List<String> forwardOrder(Map<String, Map<Phase, List<Double>>> layers) {
    List<String> nested =
        layers.entrySet().stream()
            .filter(e -> !e.getValue().containsKey(Phase.FORWARD))
            .map(Map.Entry::getKey)
            .toList();
    java.util.Set<String> order = new java.util.LinkedHashSet<>();
    for (String layer : layers.keySet()) {
      if (nested.contains(layer)) {
        continue;
      }
      order.add(layer);
      for (String n : nested) {
        if (n.startsWith(layer + ".")) {
          order.add(n);
        }
      }
    }
    order.addAll(nested);
    return List.copyOf(order);
  }

  /**
   * @param environment the JVM, the machine and the thread settings
   * @return the full results: spec, environment, per configuration the spreads and per layer the
   *     medians (what {@code bench.json} holds)
   */
  BenchResults toResults(BenchResults.Environment environment) {
    List<BenchResults.Row> rows = new ArrayList<>();
    for (ConfigResult r : results) {
      Map<String, Double> kernels = new LinkedHashMap<>();
      r.kernelMsPerStep().forEach((k, v) -> kernels.put(k.name(), v));
      Map<String, Map<String, Double>> layers = new LinkedHashMap<>();
      r.layers.forEach(
          (name, phases) -> {
            Map<String, Double> l = new LinkedHashMap<>();
            phases.forEach(
                (phase, v) -> l.put(phase.name().toLowerCase(Locale.ROOT), Spread.of(v).median()));
            layers.put(name, l);
          });
      rows.add(
          new BenchResults.Row(
              r.backend,
              r.policy,
              Double.isNaN(r.p) ? null : r.p,
              r.unfrozenFraction,
              Spread.of(r.forward),
              Spread.of(r.backward),
              Spread.of(r.inputGradient),
              Spread.of(r.weightGradient),
              Spread.of(r.rest()),
              Spread.of(r.step),
              speedup(r),
              ideal(r.fraction()),
              stepRatio(r),
              kernels,
              r.bytesToBackendPerStep(),
              r.bytesToHeapPerStep(),
              r.otherCpuShare(),
              layers));
    }
    return new BenchResults(
        new BenchResults.Spec(
            spec.base().resolvedConfig(),
            spec.fractions(),
            spec.policies(),
            spec.backends(),
            spec.warmup(),
            spec.steps(),
            spec.rounds()),
        environment,
        rows);
  }

  /**
   * @return per configuration, the kernels that take most of a step (backend kernel time per step,
   *     from the {@link org.efqat.core.profile.ProfilingBackend}), the bytes that crossed between
   *     the Java heap and the backend per step, and the CPU share other processes took meanwhile
   *     (flagged above {@link StepTimings#SHARED_MACHINE_CPU_SHARE})
   */
  String kernelTable() {
    StringBuilder s = new StringBuilder();
    for (ConfigResult r : results) {
      var top =
          r.kernelMsPerStep().entrySet().stream()
              .sorted(
                  Map.Entry.<org.efqat.core.profile.Kernel, Double>comparingByValue().reversed())
              .limit(6)
              .toList();
      double total = r.kernelMsPerStep().values().stream().mapToDouble(Double::doubleValue).sum();
      s.append(String.format(Locale.ROOT, "%-22s kernels %6.1f ms/step:", r.label(), total));
      top.forEach(
          e ->
              s.append(
                  String.format(
                      Locale.ROOT,
                      " %s %.1f",
                      e.getKey().name().toLowerCase(Locale.ROOT),
                      e.getValue())));
      s.append(
          String.format(
              Locale.ROOT,
              "%n%-22s heap -> backend %.2f MB, backend -> heap %.2f MB per step",
              "",
              r.bytesToBackendPerStep() / 1e6,
              r.bytesToHeapPerStep() / 1e6));
      if (!Double.isNaN(r.otherCpuShare())) {
        s.append(
            String.format(
                Locale.ROOT,
                "; other processes %.0f%% of the CPU%s",
                100 * r.otherCpuShare(),
                r.otherCpuShare() > StepTimings.SHARED_MACHINE_CPU_SHARE
                    ? " (NOT a machine to itself: times are off)"
                    : ""));
      } else {
        s.append(
            "; other processes' share of the CPU unknown (no /proc/stat, or the measured steps"
                + " took less than a clock tick)");
      }
      s.append('\n');
    }
    return s.toString();
  }

  /**
   * @return backend/policy → (p, speedup) points for the plot
   */
  Map<String, List<double[]>> speedupCurves() {
    Map<String, List<double[]>> m = new java.util.LinkedHashMap<>();
    for (ConfigResult r : results) {
      m.computeIfAbsent(r.backend + " " + r.policy, k -> new ArrayList<>())
          .add(new double[] {r.fraction(), speedup(r)});
    }
    return m;
  }

  private static String cell(Spread s) {
    return String.format(Locale.ROOT, "%6.1f ±%5.1f", s.median(), (s.p75() - s.p25()) / 2);
  }

  /** A space and {@code v} with two decimals right-aligned in {@code width}, {@code -} for NaN. */
  private static String ms(int width, double v) {
    return String.format(
        Locale.ROOT,
        " %" + width + "s",
        Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v));
  }

  private static double med(Map<Phase, List<Double>> m, Phase p) {
    return Spread.of(m.getOrDefault(p, List.of())).median();
  }
}
