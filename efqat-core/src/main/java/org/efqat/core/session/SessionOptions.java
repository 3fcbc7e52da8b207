package org.efqat.core.session;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a session runs an experiment.
 *
 * @param output the folder that receives {@code <name>/}, overriding the file's {@code output:}, or
 *     {@code null}
 * @param fresh discard an earlier run in the same folder
 * @param until the last stage to run
 * @param handleSignals on SIGINT/SIGTERM during a training stage, write a resume checkpoint after
 *     the current step and stop (command-line runs); off for library and test use
 */
public record SessionOptions(Path output, boolean fresh, Stage until, boolean handleSignals) {
  /** Every stage, the file's output folder, no signal handling. */
  public static final SessionOptions DEFAULT = new SessionOptions(null, false, Stage.EFQAT, false);

  /** Validates. */
  public SessionOptions {
    Objects.requireNonNull(until, "until is null");
  }

  /**
   * @param output the output folder
   * @return these options writing under that folder
   */
  public SessionOptions withOutput(Path output) {
    return new SessionOptions(output, fresh, until, handleSignals);
  }
}
