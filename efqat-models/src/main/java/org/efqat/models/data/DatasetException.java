package org.efqat.models.data;

import java.io.IOException;

/**
 * A dataset could not be found or its files are not what they should be. The message is one line
 * that names the file or folder and says what was expected, so that a command line can print it as
 * it is.
 */
public final class DatasetException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message one line: the file or folder, and what was expected
   */
  public DatasetException(String message) {
    super(message);
  }

  /**
   * @param message one line: the file or folder, and what was expected
   * @param cause the underlying I/O error
   */
  public DatasetException(String message, Throwable cause) {
    super(message, cause);
  }
}
