package org.efqat.core.train;

import ai.djl.training.tracker.Tracker;

/**
 * The shape of a learning-rate schedule after warm-up, as a DJL {@link Tracker}. {@link
 * LearningRateSchedule} adds the linear warm-up in front.
 */
@FunctionalInterface
public interface Schedule {
  /**
   * @param peakLr the learning rate the schedule starts from ({@code optimizer.lr})
   * @param steps the steps the schedule spans (the stage's steps minus the warm-up), {@code >= 1}
   * @return the learning rate as a pure function of the 0-based step
   */
  Tracker tracker(float peakLr, int steps);
}
