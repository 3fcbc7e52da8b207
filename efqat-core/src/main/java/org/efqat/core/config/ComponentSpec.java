package org.efqat.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.efqat.api.spi.ConfigValueException;

/**
 * A component reference as written in YAML: {@code {type: cwpn, p: 0.1}}, or the shorthand {@code
 * cwpn} for a component without options. The options are bound later to the provider's config
 * record.
 *
 * @param type the provider's name
 * @param options the section's other keys, as parsed (maps, lists, strings, numbers, booleans)
 */
public record ComponentSpec(String type, Map<String, Object> options) {
  /** Copies the options. */
  public ComponentSpec {
    Objects.requireNonNull(type, "type is null");
    options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
  }

  /**
   * @param type a provider name
   * @return a reference without options
   */
  public static ComponentSpec of(String type) {
    return new ComponentSpec(type, Map.of());
  }

  /**
   * Jackson entry point: a string or a mapping with a string {@code type}.
   *
   * @param node the YAML node
   * @return the reference
   */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static ComponentSpec fromYaml(JsonNode node) {
    if (node.isTextual()) {
      return of(node.textValue());
    }
    if (!node.isObject()) {
      throw new ConfigValueException(
          "type",
          "is required: write a component as a name or a mapping with 'type:' (was "
              + node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)
              + ")");
    }
    JsonNode type = node.get("type");
    if (type == null || type.isNull()) {
      throw new ConfigValueException("type", "is required");
    }
    if (!type.isTextual()) {
      throw new ConfigValueException("type", "must be a string (was " + type + ")");
    }
    Map<String, Object> options = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getKey().equals("type")) {
        options.put(e.getKey(), Yaml.MAPPER.convertValue(e.getValue(), Object.class));
      }
    }
    return new ComponentSpec(type.textValue(), options);
  }

  /**
   * @return the YAML form: the type followed by the options
   */
  @JsonValue
  Map<String, Object> toYaml() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("type", type);
    out.putAll(options);
    return out;
  }
}
