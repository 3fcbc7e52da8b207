package org.efqat.core.inject;

/** The experiment's backend cannot run here; the message gives the provider's reason. */
public final class BackendUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param backend the backend's name
   * @param reason why it cannot run
   */
  public BackendUnavailableException(String backend, String reason) {
    super("backend '" + backend + "' is unavailable: " + reason);
  }
}
