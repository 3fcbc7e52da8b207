package org.efqat.experiments.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.efqat.core.profile.LayerProfiler;

/**
 * Collects per-layer times step by step: the trainer's listener calls {@link #endStep()} after each
 * step, which closes that step's sums. Layers keep the order of their first forward pass. A layer
 * has the phases it recorded at least once (0 in a step without it); a phase it never recorded is
 * absent, not 0.
 */
final class LayerTimes implements LayerProfiler {
  private final Map<String, Map<Phase, long[]>> current = new LinkedHashMap<>();
  private final Map<String, Map<Phase, List<Double>>> steps = new LinkedHashMap<>();

  @Override
  public void record(String layer, Phase phase, long nanos) {
    current.computeIfAbsent(layer, k -> new EnumMap<>(Phase.class))
            .computeIfAbsent(phase, k -> new long[1])[0] +=
        nanos;
  }

  /** Closes the current step. */
  void endStep() {
    current.forEach(
        (layer, phases) -> {
          Map<Phase, List<Double>> s =
              steps.computeIfAbsent(layer, k -> new EnumMap<>(Phase.class));
          // only the phases the layer times itself: the attention's query, key and value time
          // dX and dW, their forward pass is inside the attention layer's
          phases.forEach(
              (p, t) -> {
                s.computeIfAbsent(p, k -> new ArrayList<>()).add(t[0] / 1e6);
                t[0] = 0;
              });
        });
  }

  /** Forgets every step (keeps the layer order). */
  void clear() {
    steps.values().forEach(m -> m.values().forEach(List::clear));
    current.values().forEach(m -> m.values().forEach(t -> t[0] = 0));
  }

  /** Drops the first {@code n} steps of every layer (warm-up). */
  void dropFirst(int n) {
    steps
        .values()
        .forEach(m -> m.values().forEach(l -> l.subList(0, Math.min(n, l.size())).clear()));
  }

  /**
   * @return layer → phase → milliseconds per step
   */
  Map<String, Map<Phase, List<Double>>> steps() {
    return steps;
  }

  /**
   * @param phase a phase
   * @return per step, the sum of that phase over all layers (milliseconds)
   */
  List<Double> total(Phase phase) {
    List<Double> sum = new ArrayList<>();
    for (Map<Phase, List<Double>> m : steps.values()) {
      List<Double> l = m.getOrDefault(phase, List.of());
      for (int i = 0; i < l.size(); i++) {
        if (sum.size() <= i) {
          sum.add(0.0);
        }
        sum.set(i, sum.get(i) + l.get(i));
      }
    }
    return sum;
  }
}
