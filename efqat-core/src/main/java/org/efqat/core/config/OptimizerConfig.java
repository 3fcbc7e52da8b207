package org.efqat.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.efqat.api.spi.ConfigValueException;

/**
 * {@code optimizer:} (and {@code pretrain.optimizer:}) the optimizer, its learning rate and its
 * schedule, for example {@code {type: sgd, lr: 0.1, momentum: 0.9, schedule: cosine}}. {@code type}
 * names an optimizer component; {@code lr}, {@code schedule} and {@code warmupSteps} belong to
 * every optimizer; the remaining keys bind to the optimizer's own config record (for {@code sgd}:
 * {@code momentum}, {@code nesterov}, {@code weightDecay}).
 *
 * @param type required: the optimizer's registered name, e.g. {@code sgd} or {@code adamw}
 * @param lr required: the peak learning rate, in (0, 100)
 * @param schedule the learning-rate schedule component; default {@code cosine}
 * @param warmupSteps linear warm-up steps before the schedule; default 0
 * @param options the optimizer's own keys, bound later to its config record
 */
public record OptimizerConfig(
    String type,
    Double lr,
    ComponentSpec schedule,
    Integer warmupSteps,
    Map<String, Object> options) {
  /** The keys every optimizer section has besides {@code type}. */
  public static final Set<String> COMMON_KEYS = Set.of("lr", "schedule", "warmupSteps");

  /** The default schedule. */
  public static final String DEFAULT_SCHEDULE = "cosine";

  /** Validates and applies defaults. */
  public OptimizerConfig {
    ConfigValueException.requirePresent("type", type);
    ConfigValueException.requirePresent("lr", lr);
    if (!(lr > 0 && lr < 100)) {
      throw new ConfigValueException("lr", "must be in (0, 100) (was " + lr + ")");
    }
    schedule = Choices.orDefault(schedule, ComponentSpec.of(DEFAULT_SCHEDULE));
    warmupSteps = Choices.orDefault(warmupSteps, 0);
    ConfigValueException.requireInRange("warmupSteps", warmupSteps, 0, Integer.MAX_VALUE);
    options =
        Collections.unmodifiableMap(
            new LinkedHashMap<>(Objects.requireNonNullElse(options, Map.of())));
  }

  /**
   * @return the optimizer as a component reference: {@code type} and its own options
   */
  public ComponentSpec spec() {
    return new ComponentSpec(type, options);
  }

  /**
   * @param spec the optimizer with its options spelled out
   * @return this section with that optimizer
   */
  public OptimizerConfig withSpec(ComponentSpec spec) {
    return new OptimizerConfig(spec.type(), lr, schedule, warmupSteps, spec.options());
  }

  /**
   * @param schedule the schedule with its options spelled out
   * @return this section with that schedule
   */
  public OptimizerConfig withSchedule(ComponentSpec schedule) {
    return new OptimizerConfig(type, lr, schedule, warmupSteps, options);
  }

  /**
   * Jackson entry point: splits the mapping into the common keys and the optimizer's own.
   *
   * @param node the YAML mapping
   * @return the section
   */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static OptimizerConfig fromYaml(JsonNode node) {
    if (!node.isObject()) {
      throw new ConfigValueException(
          "type", "is required: write the optimizer as a mapping with" + " 'type:' and 'lr:'");
    }
    JsonNode type = node.get("type");
    if (type != null && !type.isNull() && !type.isTextual()) {
      throw new ConfigValueException("type", "must be a string (was " + type + ")");
    }
    Double lr = null;
    ComponentSpec schedule = null;
    Integer warmup = null;
    Map<String, Object> options = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      JsonNode v = e.getValue();
      switch (e.getKey()) {
        case "type" -> {}
        case "lr" -> lr = number(e.getKey(), v);
        case "warmupSteps" -> {
          if (!v.isNull() && !(v.canConvertToExactIntegral() && v.canConvertToInt())) {
            throw new ConfigValueException(
                "warmupSteps",
                "must be an integer in [0, " + Integer.MAX_VALUE + "] (was " + v + ")");
          }
          warmup = v.isNull() ? null : v.asInt();
        }
        case "schedule" -> {
          try {
            schedule = v.isNull() ? null : ComponentSpec.fromYaml(v);
          } catch (ConfigValueException bad) {
            throw new ConfigValueException("schedule." + bad.key(), bad.problem());
          }
        }
        default -> options.put(e.getKey(), Yaml.MAPPER.convertValue(v, Object.class));
      }
    }
    return new OptimizerConfig(
        type == null || type.isNull() ? null : type.textValue(), lr, schedule, warmup, options);
  }

  private static Double number(String key, JsonNode v) {
    if (v.isNull()) {
      return null;
    }
    if (!v.isNumber()) {
      throw new ConfigValueException(key, "must be a number (was " + v + ")");
    }
    return v.doubleValue();
  }

  /**
   * @return the YAML form: type, common keys, then the optimizer's own options
   */
  @JsonValue
  Map<String, Object> toYaml() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("type", type);
    out.put("lr", lr);
    out.put("schedule", schedule);
    out.put("warmupSteps", warmupSteps);
    out.putAll(options);
    return out;
  }
}
