package org.efqat.core.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Milliseconds of every training step of a stage (wall-clock, so never equal between two runs).
 *
 * @param forwardMs forward pass and loss per step
 * @param backwardMs backward pass per step
 * @param weightGradientMs the part of the backward pass in the sparse-row weight-gradient kernels
 *     (GEMM and convolution), per step; empty when the backend was not profiled
 * @param stepMs the whole step, optimizer update included
 * @param cpuOthers clock ticks (of all CPUs together) that other processes ran during the steps
 * @param cpuTotal clock ticks of all CPUs during the steps (0 where the counters are unknown:
 *     Linux's {@code /proc} is read)
 */
public record StepTimings(
    List<Double> forwardMs,
    List<Double> backwardMs,
    List<Double> weightGradientMs,
    List<Double> stepMs,
    long cpuOthers,
    long cpuTotal) {
  /**
   * The share of the machine's CPU time other processes may take while steps run before their times
   * count as those of a shared machine (reports, {@code efqat run} and {@code efqat bench} say so
   * above it).
   */
  public static final double SHARED_MACHINE_CPU_SHARE = 0.2;

  /** No steps. */
  public static final StepTimings EMPTY =
      new StepTimings(List.of(), List.of(), List.of(), List.of(), 0, 0);

  /**
   * Timings without CPU counters.
   *
   * @param forwardMs forward pass and loss per step
   * @param backwardMs backward pass per step
   * @param weightGradientMs the sparse-row weight-gradient part of the backward pass per step
   * @param stepMs the whole step
   */
  public StepTimings(
      List<Double> forwardMs,
      List<Double> backwardMs,
      List<Double> weightGradientMs,
      List<Double> stepMs) {
    this(forwardMs, backwardMs, weightGradientMs, stepMs, 0, 0);
  }

  /**
   * @return the share of the machine's CPU time that other processes used while the steps ran, in
   *     {@code [0, 1]}, or NaN when unknown; above about 0.2 the step times are not those of a
   *     machine to itself
   */
  public double otherProcessesCpuShare() {
    return cpuShare(cpuOthers, cpuTotal);
  }

  /**
   * @param others clock ticks other processes ran
   * @param total clock ticks of all CPUs in the same interval
   * @return {@code others / total}, or NaN when {@code total} is 0 (counters unknown)
   */
  public static double cpuShare(long others, long total) {
    return total > 0 ? (double) others / total : Double.NaN;
  }

  /** Copies the lists. */
  public StepTimings {
    forwardMs = List.copyOf(forwardMs);
    backwardMs = List.copyOf(backwardMs);
    weightGradientMs = List.copyOf(weightGradientMs);
    stepMs = List.copyOf(stepMs);
  }

  /**
   * @return the median forward time, skipping warm-up steps when there are enough
   */
  public double medianForwardMs() {
    return median(forwardMs);
  }

  /**
   * @return the median backward time, skipping warm-up steps
   */
  public double medianBackwardMs() {
    return median(backwardMs);
  }

  /**
   * @return the median weight-gradient time, or NaN when the backend was not profiled
   */
  public double medianWeightGradientMs() {
    return median(weightGradientMs);
  }

  /**
   * @return the median whole-step time, skipping warm-up steps
   */
  public double medianStepMs() {
    return median(stepMs);
  }

  /**
   * The median, skipping the first three values (warm-up) when there are more than ten.
   *
   * @param values milliseconds
   * @return the median, or NaN when empty
   */
  public static double median(List<Double> values) {
    List<Double> v =
        new ArrayList<>(values.size() > 10 ? values.subList(3, values.size()) : values);
    if (v.isEmpty()) {
      return Double.NaN;
    }
    v.sort(Double::compare);
    int n = v.size();
    return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
  }
}
