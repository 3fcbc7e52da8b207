package org.efqat.experiments.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.efqat.core.profile.Kernel;
import org.efqat.core.profile.LayerProfiler.Phase;
import org.efqat.core.train.StepTimings;

/**
 * The measured steps of one (backend, policy, p): whole-model times per step and each leaf layer's
 * times per step, in milliseconds.
 */
final class ConfigResult {
  final String backend;
  final String policy;

  /** The unfrozen fraction asked for, NaN for a policy without {@code p}. */
  final double p;

  double unfrozenFraction;
  final List<Double> forward = new ArrayList<>();
  final List<Double> backward = new ArrayList<>();
  final List<Double> step = new ArrayList<>();
  final List<Double> inputGradient = new ArrayList<>();
  final List<Double> weightGradient = new ArrayList<>();
  final Map<String, Map<Phase, List<Double>>> layers = new LinkedHashMap<>();

  /** Kernel → milliseconds per measured step, summed over the blocks (divide by blocks). */
  final Map<Kernel, Double> kernelMs = new EnumMap<>(Kernel.class);

  int kernelSteps;

  /** Bytes copied from the Java heap to the backend over the measured steps. */
  long bytesToBackend;

  /** Bytes copied from the backend to the Java heap over the measured steps. */
  long bytesToHeap;

  /** Clock ticks other processes ran, and of all CPUs, during this configuration's blocks. */
  long cpuOthers;

  long cpuTotal;

  ConfigResult(String backend, String policy, double p) {
    this.backend = backend;
    this.policy = policy;
    this.p = p;
  }

  /**
   * @param times one block's layer times, warm-up already dropped
   */
  void addLayers(LayerTimes times) {
    times
        .steps()
        .forEach(
            (layer, phases) -> {
              Map<Phase, List<Double>> m =
                  layers.computeIfAbsent(layer, k -> new EnumMap<>(Phase.class));
              phases.forEach(
                  (phase, v) -> m.computeIfAbsent(phase, k -> new ArrayList<>()).addAll(v));
            });
    inputGradient.addAll(times.total(Phase.INPUT_GRADIENT));
    weightGradient.addAll(times.total(Phase.WEIGHT_GRADIENT));
  }

  /**
   * @return kernel → mean milliseconds per measured step (kernel totals over the steps)
   */
  Map<Kernel, Double> kernelMsPerStep() {
    Map<Kernel, Double> m = new EnumMap<>(Kernel.class);
    kernelMs.forEach((k, v) -> m.put(k, v / Math.max(1, kernelSteps)));
    return m;
  }

  /**
   * @return the share of the machine's CPU time other processes used while this configuration ran,
   *     or NaN when unknown
   */
  double otherCpuShare() {
    return StepTimings.cpuShare(cpuOthers, cpuTotal);
  }

  /**
   * @return mean bytes per measured step copied from the heap to the backend
   */
  double bytesToBackendPerStep() {
    return (double) bytesToBackend / Math.max(1, kernelSteps);
  }

  /**
   * @return mean bytes per measured step copied from the backend to the heap
   */
  double bytesToHeapPerStep() {
    return (double) bytesToHeap / Math.max(1, kernelSteps);
  }

  /**
   * @return per step, backward time outside the weight layers' dX and dW
   */
  List<Double> rest() {
    List<Double> r = new ArrayList<>();
    for (int i = 0; i < backward.size(); i++) {
      double dx = i < inputGradient.size() ? inputGradient.get(i) : 0;
      double dw = i < weightGradient.size() ? weightGradient.get(i) : 0;
      r.add(backward.get(i) - dx - dw);
    }
    return r;
  }

  /**
   * @return the unfrozen fraction asked for, or the one measured for a policy without {@code p}
   */
  double fraction() {
    return Double.isNaN(p) ? unfrozenFraction : p;
  }

  String label() {
    return backend + " " + policy + " p=" + p;
  }
}
