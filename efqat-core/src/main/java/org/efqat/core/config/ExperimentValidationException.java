package org.efqat.core.config;

import java.util.List;
import java.util.stream.Collectors;

/** An experiment file has one or more errors; the message has one line per error. */
public final class ExperimentValidationException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient List<ConfigError> errors;

  /**
   * @param errors the errors, at least one
   */
  public ExperimentValidationException(List<ConfigError> errors) {
    super(errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n")));
    this.errors = List.copyOf(errors);
  }

  /**
   * @return the errors
   */
  public List<ConfigError> errors() {
    return errors;
  }
}
