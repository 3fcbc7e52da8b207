package org.efqat.api.backend;

/** Thrown when a backend lacks an optional operation. */
public final class UnsupportedBackendOperationException extends UnsupportedOperationException {
  private static final long serialVersionUID = 1L;

  /**
   * @param backend the backend's name
   * @param operation the operation, for example {@code "int8Gemm"}
   */
  public UnsupportedBackendOperationException(String backend, String operation) {
    super("backend " + backend + " does not support " + operation);
  }
}
