package org.efqat.core.config;

import java.util.List;
import org.efqat.api.spi.ConfigValueException;

/** Validation of keys that take one of a fixed list of words. */
final class Choices {
  private Choices() {}

  /**
   * @param key the key, for the message
   * @param value the value, {@code null} when left out
   * @param defaultValue the documented default, or {@code null} when the key is required
   * @param allowed the allowed words
   * @return the value or the default
   */
  static String oneOf(String key, String value, String defaultValue, List<String> allowed) {
    if (value == null) {
      if (defaultValue == null) {
        throw new ConfigValueException(key, "is required; one of " + allowed);
      }
      return defaultValue;
    }
    if (!allowed.contains(value)) {
      throw new ConfigValueException(key, "must be one of " + allowed + " (was '" + value + "')");
    }
    return value;
  }

  static <T> T orDefault(T value, T defaultValue) {
    return value == null ? defaultValue : value;
  }
}
