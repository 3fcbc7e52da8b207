package org.efqat.core.train;

import ai.djl.training.tracker.Tracker;
import ai.djl.training.tracker.WarmUpTracker;

/**
 * The learning rate per step: a {@link Schedule} (on DJL's trackers) after an optional linear
 * warm-up from 0.
 */
public final class LearningRateSchedule {
  private final Tracker tracker;

  private LearningRateSchedule(Tracker tracker) {
    this.tracker = tracker;
  }

  /**
   * @param peakLr the learning rate after warm-up ({@code optimizer.lr})
   * @param warmupSteps linear warm-up steps ({@code optimizer.warmupSteps}); at most all but one
   *     step is warm-up
   * @param schedule the shape after warm-up ({@code optimizer.schedule})
   * @param totalSteps the number of steps of the stage
   * @return the schedule
   */
  public static LearningRateSchedule of(
      double peakLr, int warmupSteps, Schedule schedule, int totalSteps) {
    float lr = (float) peakLr;
    int steps = Math.max(1, totalSteps);
    int warmup = Math.min(warmupSteps, steps - 1);
    int mainSteps = Math.max(1, steps - warmup);
    Tracker main = schedule.tracker(lr, mainSteps);
    if (warmup > 0) {
      main =
          WarmUpTracker.builder()
              .setMainTracker(main)
              .optWarmUpSteps(warmup)
              .optWarmUpBeginValue(0f)
              .build();
    }
    return new LearningRateSchedule(main);
  }

  /**
   * @param step the 0-based step
   * @return its learning rate
   */
  public double at(int step) {
    return tracker.getNewValue(step);
  }
}
