package org.efqat.experiments.run;

/** A run cannot start or continue; the message says why and what to do. */
public final class RunException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message what is wrong and what to do */
  public RunException(String message) {
    super(message);
  }

  /**
   * @param message what is wrong and what to do
   * @param cause the underlying error
   */
  public RunException(String message, Throwable cause) {
    super(message, cause);
  }
}
