package org.efqat.core.train;

/**
 * Called by {@link EfqatTrainer} between steps, to write resume checkpoints and to stop a stage
 * cleanly (on SIGINT/SIGTERM).
 */
public interface StepHook {
  /** Never checkpoints, never stops. */
  StepHook NONE =
      new StepHook() {
        @Override
        public boolean checkpointDue(int step) {
          return false;
        }

        @Override
        public void checkpoint(TrainingProgress progress) {}
      };

  /**
   * @param step steps completed so far
   * @return whether to call {@link #checkpoint} now
   */
  boolean checkpointDue(int step);

  /**
   * Saves a resume point; called after a completed step, between steps.
   *
   * @param progress the training loop's state
   */
  void checkpoint(TrainingProgress progress);

  /**
   * @return whether the stage must stop now; the trainer then checkpoints and throws {@link
   *     StageInterruptedException}
   */
  default boolean stopRequested() {
    return false;
  }
}
