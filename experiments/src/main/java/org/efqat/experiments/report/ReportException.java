package org.efqat.experiments.report;

/** A report cannot be made: the folder holds no points, or a file in it is damaged. One line. */
public final class ReportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what is wrong, naming the folder or file
   */
  public ReportException(String message) {
    super(message);
  }

  /**
   * @param message what is wrong, naming the folder or file
   * @param cause the underlying error
   */
  public ReportException(String message, Throwable cause) {
    super(message, cause);
  }
}
