package org.efqat.core.train;

import ai.djl.training.tracker.Tracker;
import java.util.List;

/**
 * {@code step}: the rate is multiplied by {@code gamma} at each milestone (a fraction of the
 * steps). Written as a pure function of the step because DJL's {@code MultiFactorTracker} keeps
 * internal state that breaks out-of-order queries (and resumed runs).
 */
final class StepSchedule implements Schedule {
  private final List<Double> milestones;
  private final double gamma;

  StepSchedule(List<Double> milestones, double gamma) {
    this.milestones = List.copyOf(milestones);
    this.gamma = gamma;
  }

  @Override
  public Tracker tracker(float peakLr, int steps) {
    int[] at = new int[milestones.size()];
    int previous = 0;
    for (int i = 0; i < at.length; i++) {
      // at least one step between milestones, as the fixed 50%/75% schedule always did
      at[i] = Math.max(previous + 1, (int) (steps * milestones.get(i)));
      previous = at[i];
    }
    float[] rates = new float[at.length + 1];
    rates[0] = peakLr;
    for (int i = 1; i < rates.length; i++) {
      rates[i] = (float) (rates[i - 1] * gamma);
    }
    return update -> {
      int k = 0;
      while (k < at.length && update >= at[k]) {
        k++;
      }
      return rates[k];
    };
  }
}
