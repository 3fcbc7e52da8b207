package org.efqat.core.train;

/** Receives progress from a training loop (for a progress bar or a log). */
public interface TrainingListener {
  /** Ignores everything. */
  TrainingListener NONE = new TrainingListener() {};

  /**
   * @param step the 0-based step of the stage
   * @param totalSteps the stage's steps
   * @param loss this step's mean loss
   * @param accuracy this step's batch accuracy
   * @param samplesPerSecond throughput of this step
   */
  default void onStep(
      int step, int totalSteps, double loss, double accuracy, double samplesPerSecond) {}

  /**
   * @param step the step at which the selection changed
   * @param unfrozenFraction the fraction of weight rows that now train
   */
  default void onSelection(int step, double unfrozenFraction) {}
}
