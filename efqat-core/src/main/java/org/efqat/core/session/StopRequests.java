package org.efqat.core.session;

/**
 * Asks a running training stage to stop cleanly: after its current step it writes a resume
 * checkpoint and the session throws {@link RunInterruptedException}. The command line answers
 * SIGINT/SIGTERM with one; a library caller may pass its own (a deadline, a cancel button).
 */
public interface StopRequests {
  /** Never asks to stop. */
  StopRequests NEVER = () -> false;

  /**
   * @return whether the stage must stop after its current step
   */
  boolean requested();

  /**
   * Told when a training stage starts and ends, so that a request outside one can be handled
   * differently (the command line then exits at once).
   *
   * @param inStage whether a training stage is running
   */
  default void training(boolean inStage) {}

  /**
   * @return the exit code a process should end with after stopping; 130 (SIGINT) by default
   */
  default int exitCode() {
    return 130;
  }
}
