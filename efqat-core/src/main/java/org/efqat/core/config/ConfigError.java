package org.efqat.core.config;

/**
 * One problem in an experiment file.
 *
 * @param file the file as given by the user
 * @param line 1-based line, 0 when unknown
 * @param path the YAML path, for example {@code efqat.freeze.p}; empty for the whole document
 * @param message what is wrong, for example {@code must be in [0, 1] (was 1.5)}
 */
public record ConfigError(String file, int line, String path, String message) {
  /** The longest message kept; a longer one (a huge value quoted back) is cut. */
  static final int MAX_MESSAGE_CHARS = 1000;

  /** Cuts a message that quotes a huge value, and keeps it on one line. */
  public ConfigError {
    message = message.replace('\n', ' ').replace('\r', ' ');
    if (message.length() > MAX_MESSAGE_CHARS) {
      message =
          message.substring(0, MAX_MESSAGE_CHARS) + "... (" + message.length() + " characters)";
    }
  }

  /**
   * @return {@code file:line: path message}, the one-line form printed to users
   */
  @Override
  public String toString() {
    String where = line > 0 ? file + ":" + line : file;
    return where + ": " + (path.isEmpty() ? message : path + " " + message);
  }
}
