package org.efqat.core.config;

/** Defaults of optional keys. */
final class Choices {
  private Choices() {}

  static <T> T orDefault(T value, T defaultValue) {
    return value == null ? defaultValue : value;
  }
}
