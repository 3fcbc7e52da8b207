package org.efqat.core.registry;

/** A plugin cannot be found, is registered twice, or fails to load. */
public final class RegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what is wrong and what to do
   */
  public RegistryException(String message) {
    super(message);
  }

  /**
   * @param message what is wrong and what to do
   * @param cause the underlying error
   */
  public RegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}
