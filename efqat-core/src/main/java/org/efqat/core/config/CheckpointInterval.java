package org.efqat.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.efqat.api.spi.ConfigValueException;

/**
 * {@code checkpointEvery:} how often a training stage writes a resume checkpoint: a number of steps
 * ({@code 500}) or a time of work ({@code 30s}, {@code 5m}, {@code 1h}). A checkpoint is also
 * written when the process receives SIGINT or SIGTERM. Checkpoints never change a run's numbers.
 *
 * @param steps every this many steps, or 0 when the interval is a time
 * @param seconds every this many seconds of training, or 0 when the interval is a step count
 */
public record CheckpointInterval(int steps, long seconds) {
  /** The default: five minutes of work. */
  public static final CheckpointInterval DEFAULT = new CheckpointInterval(0, 300);

  private static final Pattern TIME = Pattern.compile("([1-9][0-9]{0,6})\\s*([smh])");

  /** Validates. */
  public CheckpointInterval {
    if ((steps > 0) == (seconds > 0) || steps < 0 || seconds < 0) {
      throw new ConfigValueException(
          "",
          "must be a positive number of steps or a time such as"
              + " 5m (was steps "
              + steps
              + ", seconds "
              + seconds
              + ")");
    }
  }

  /**
   * @param steps a positive step count
   * @return every that many steps
   */
  public static CheckpointInterval everySteps(int steps) {
    return new CheckpointInterval(steps, 0);
  }

  /**
   * Jackson entry point: an integer or a string such as {@code 5m}.
   *
   * @param node the YAML value
   * @return the interval
   */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static CheckpointInterval fromYaml(JsonNode node) {
    if (node.canConvertToExactIntegral() && node.isIntegralNumber()) {
      long n = node.asLong();
      if (n < 1 || n > Integer.MAX_VALUE) {
        throw new ConfigValueException("", "must be at least 1 step (was " + n + ")");
      }
      return everySteps((int) n);
    }
    if (node.isTextual()) {
      Matcher m = TIME.matcher(node.textValue().trim());
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        long unit =
            switch (m.group(2)) {
              case "s" -> 1;
              case "m" -> 60;
              default -> 3600;
            };
        return new CheckpointInterval(0, n * unit);
      }
    }
    throw new ConfigValueException(
        "", "must be a number of steps or a time such as 30s, 5m or 1h" + " (was " + node + ")");
  }

  /**
   * @return the time between checkpoints, or {@code null} when the interval is in steps
   */
  public Duration time() {
    return seconds > 0 ? Duration.ofSeconds(seconds) : null;
  }

  /**
   * @return the YAML form: the step count, or the time in seconds such as {@code 300s}
   */
  @JsonValue
  Object toYaml() {
    return steps > 0 ? (Object) steps : seconds + "s";
  }
}
