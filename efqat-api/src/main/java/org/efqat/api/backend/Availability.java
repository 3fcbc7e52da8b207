package org.efqat.api.backend;

import java.util.Objects;

/**
 * Whether a backend can run here, and why not.
 *
 * @param ok whether it can run
 * @param reason a one-line reason when it cannot (for example the native library error), or a short
 *     description of what was found when it can
 */
public record Availability(boolean ok, String reason) {
  /** Checks the reason. */
  public Availability {
    Objects.requireNonNull(reason, "reason is null");
  }

  /**
   * @param detail what was found, for example the native library version
   * @return an available result
   */
  public static Availability available(String detail) {
    return new Availability(true, detail);
  }

  /**
   * @param reason why not
   * @return an unavailable result
   */
  public static Availability unavailable(String reason) {
    return new Availability(false, reason);
  }
}
