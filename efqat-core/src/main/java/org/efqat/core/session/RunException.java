package org.efqat.core.session;

/** A run cannot go on; the message is one line that says what and where. */
public final class RunException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what went wrong, naming the file or setting
   */
  public RunException(String message) {
    super(message);
  }

  /**
   * @param message what went wrong, naming the file or setting
   * @param cause the underlying error
   */
  public RunException(String message, Throwable cause) {
    super(message, cause);
  }
}
