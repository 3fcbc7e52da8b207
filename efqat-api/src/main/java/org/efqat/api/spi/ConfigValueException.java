package org.efqat.api.spi;

/**
 * Thrown by a config record's compact constructor when one key has a bad value. The caller that
 * bound the record prefixes the key with its YAML path, so a message reads {@code efqat.freeze.p
 * must be in [0, 1] (was 1.5)}.
 */
public final class ConfigValueException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final String problem;

  /**
   * @param key the record component (YAML key) that is wrong, for example {@code "p"}
   * @param problem what is wrong, starting with a verb, for example {@code "must be in [0, 1] (was
   *     1.5)"}
   */
  public ConfigValueException(String key, String problem) {
    super(key + " " + problem);
    this.key = key;
    this.problem = problem;
  }

  /**
   * @return the offending key relative to the record, for example {@code "p"}
   */
  public String key() {
    return key;
  }

  /**
   * @return what is wrong with it
   */
  public String problem() {
    return problem;
  }

  /**
   * Checks that {@code value} is within {@code [lo, hi]}.
   *
   * @param key the key name for the message
   * @param value the value
   * @param lo the inclusive lower bound
   * @param hi the inclusive upper bound
   * @return {@code value}
   * @throws ConfigValueException if {@code value} is outside the range or NaN
   */
  public static double requireInRange(String key, double value, double lo, double hi) {
    if (!(value >= lo && value <= hi)) {
      throw new ConfigValueException(
          key, "must be in [" + fmt(lo) + ", " + fmt(hi) + "] (was " + fmt(value) + ")");
    }
    return value;
  }

  /**
   * Checks that {@code value} is within {@code [lo, hi]}.
   *
   * @param key the key name for the message
   * @param value the value
   * @param lo the inclusive lower bound
   * @param hi the inclusive upper bound
   * @return {@code value}
   */
  public static long requireInRange(String key, long value, long lo, long hi) {
    if (value < lo || value > hi) {
      throw new ConfigValueException(
          key, "must be in [" + lo + ", " + hi + "] (was " + value + ")");
    }
    return value;
  }

  /**
   * Checks that a required key was given.
   *
   * @param key the key name for the message
   * @param value the bound value, {@code null} when the key is missing
   * @param <T> the value type
   * @return {@code value}
   */
  public static <T> T requirePresent(String key, T value) {
    if (value == null) {
      throw new ConfigValueException(key, "is required");
    }
    return value;
  }

  private static String fmt(double v) {
    return v == Math.rint(v) && !Double.isInfinite(v)
        ? Long.toString((long) v)
        : Double.toString(v);
  }
}
