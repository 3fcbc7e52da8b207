package org.efqat.core.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Milliseconds per training step, split into forward (incl. loss) and backward, with the
 * medians a report needs; when the backend is a {@link
 * org.efqat.core.profile.ProfilingBackend}, also the part of the backward pass spent in the
 * sparse-row weight-gradient GEMM.
 */
public final class StepTimes {
  private final List<Double> forward = new ArrayList<>();
  private final List<Double> backward = new ArrayList<>();
  private final List<Double> weightGradient = new ArrayList<>();
  private final List<Double> step = new ArrayList<>();

  /**
   * @param forwardMs forward pass and loss
   * @param backwardMs backward pass
   * @param weightGradientMs time in the sparse-row weight-gradient kernel, or NaN when the
   *     backend is not profiled
   * @param stepMs the whole step, optimizer update included
   */
  void add(double forwardMs, double backwardMs, double weightGradientMs, double stepMs) {
    forward.add(forwardMs);
    backward.add(backwardMs);
    if (!Double.isNaN(weightGradientMs)) {
      weightGradient.add(weightGradientMs);
    }
    step.add(stepMs);
  }

  /** @return milliseconds of every whole step (forward, backward, optimizer update) */
  public List<Double> stepMs() {
    return List.copyOf(step);
  }

  /** @return the median whole-step time, skipping warm-up steps */
  public double medianStepMs() {
    return median(step);
  }

  /**
   * @return milliseconds of every step spent in the sparse-row weight-gradient GEMM; empty when
   *     the backend was not profiled
   */
  public List<Double> weightGradientMs() {
    return List.copyOf(weightGradient);
  }

  /** @return the median weight-gradient GEMM time, or NaN when the backend was not profiled */
  public double medianWeightGradientMs() {
    return median(weightGradient);
  }

  /** @return forward milliseconds of every step */
  public List<Double> forwardMs() {
    return List.copyOf(forward);
  }

  /** @return backward milliseconds of every step */
  public List<Double> backwardMs() {
    return List.copyOf(backward);
  }

  /** @return the median forward time, skipping the first steps (warm-up) when there are enough */
  public double medianForwardMs() {
    return median(forward);
  }

  /** @return the median backward time, skipping warm-up steps */
  public double medianBackwardMs() {
    return median(backward);
  }

  private static double median(List<Double> values) {
    List<Double> v = new ArrayList<>(values.size() > 10 ? values.subList(3, values.size()) : values);
    if (v.isEmpty()) {
      return Double.NaN;
    }
    v.sort(Double::compare);
    int n = v.size();
    return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
  }
}
