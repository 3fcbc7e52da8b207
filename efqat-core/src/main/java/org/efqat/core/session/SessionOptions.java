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
 * @param stop asked between training steps whether to write a resume checkpoint and stop (the
 *     command line answers SIGINT/SIGTERM with it); {@link StopRequests#NEVER} by default
 */
public record SessionOptions(Path output, boolean fresh, Stage until, StopRequests stop) {
  /** Every stage, the file's output folder, never stopped. */
  public static final SessionOptions DEFAULT =
      new SessionOptions(null, false, Stage.EFQAT, StopRequests.NEVER);

  /** Validates. */
  public SessionOptions {
    Objects.requireNonNull(until, "until is null");
    Objects.requireNonNull(stop, "stop is null");
  }

  /**
   * @param output the output folder
   * @return these options writing under that folder
   */
  public SessionOptions withOutput(Path output) {
    return new SessionOptions(output, fresh, until, stop);
  }
}
