package org.efqat.core.session;

import java.nio.file.Path;

/**
 * A run stopped on SIGINT/SIGTERM after writing a resume checkpoint; running the same experiment
 * again continues from it.
 */
public final class RunInterruptedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  /**
   * @param stage the stage that stopped
   * @param step the steps it had completed
   * @param checkpoint the resume checkpoint
   * @param exitCode the exit code for the process, {@code 128 + signal}
   */
  public RunInterruptedException(Stage stage, int step, Path checkpoint, int exitCode) {
    super(
        "interrupted in stage "
            + stage
            + " after step "
            + step
            + "; resume checkpoint "
            + checkpoint
            + "; run the same command again to continue");
    this.exitCode = exitCode;
  }

  /**
   * @return {@code 128 + signal}, as a shell reports a process ended by that signal
   */
  public int exitCode() {
    return exitCode;
  }
}
