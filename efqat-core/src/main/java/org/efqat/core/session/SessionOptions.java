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
 * @param shared finished stages of other run folders to take instead of computing them (a sweep's
 *     shared FP and PTQ stages); {@link SharedStages#NONE} by default
 */
public record SessionOptions(
    Path output, boolean fresh, Stage until, StopRequests stop, SharedStages shared) {
  /** Every stage, the file's output folder, never stopped. */
  public static final SessionOptions DEFAULT =
      new SessionOptions(null, false, Stage.EFQAT, StopRequests.NEVER);

  /** Validates. */
  public SessionOptions {
    Objects.requireNonNull(until, "until is null");
    Objects.requireNonNull(stop, "stop is null");
    Objects.requireNonNull(shared, "shared is null");
  }

  /**
   * Options that compute every stage themselves.
   *
   * @param output the output folder, or {@code null}
   * @param fresh discard an earlier run
   * @param until the last stage
   * @param stop stop requests
   */
  public SessionOptions(Path output, boolean fresh, Stage until, StopRequests stop) {
    this(output, fresh, until, stop, SharedStages.NONE);
  }

  /**
   * @param output the output folder
   * @return these options writing under that folder
   */
  public SessionOptions withOutput(Path output) {
    return new SessionOptions(output, fresh, until, stop, shared);
  }
}
