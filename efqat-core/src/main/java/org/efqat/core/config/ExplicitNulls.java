package org.efqat.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Explicit YAML nulls ({@code seed: ~}, {@code interval:}, {@code bits: null}). Config records turn
 * a missing key into its default, so after binding an explicit null would look the same as a key
 * left out; the loader finds them in the parsed tree first and reports each one, with the default
 * the key would get when left out.
 */
final class ExplicitNulls {
  /**
   * One explicit null.
   *
   * @param path its YAML path, for example {@code data.batchSize} or {@code x.milestones[1]}
   * @param keys the path as object keys (strings) and list indexes (integers)
   */
  record At(String path, List<Object> keys) {}

  private ExplicitNulls() {}

  /**
   * @param tree a parsed document
   * @return every null value in it, in document order
   */
  static List<At> find(JsonNode tree) {
    List<At> out = new ArrayList<>();
    find(tree, "", new ArrayList<>(), out);
    return out;
  }

  private static void find(JsonNode node, String path, List<Object> keys, List<At> out) {
    if (node.isNull()) {
      out.add(new At(path, List.copyOf(keys)));
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        keys.add(e.getKey());
        find(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), keys, out);
        keys.remove(keys.size() - 1);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        keys.add(i);
        find(node.get(i), path + "[" + i + "]", keys, out);
        keys.remove(keys.size() - 1);
      }
    }
  }

  /**
   * @param tree a parsed document
   * @return a copy without the mapping keys whose value is null (nulls in lists stay)
   */
  static JsonNode withoutNullKeys(JsonNode tree) {
    JsonNode copy = tree.deepCopy();
    strip(copy);
    return copy;
  }

  private static void strip(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> nullKeys = new ArrayList<>();
      for (Map.Entry<String, JsonNode> e : object.properties()) {
        if (e.getValue().isNull()) {
          nullKeys.add(e.getKey());
        } else {
          strip(e.getValue());
        }
      }
      object.remove(nullKeys);
    } else if (node instanceof ArrayNode array) {
      array.forEach(ExplicitNulls::strip);
    }
  }

  /**
   * @param at a null
   * @param defaults the resolved config of the document without its null keys (every default
   *     spelled out), or {@code null} when that document is not valid either
   * @param required whether leaving the key out is an error too
   * @return what to tell the user, after the path
   */
  static String message(At at, JsonNode defaults, boolean required) {
    if (at.keys().get(at.keys().size() - 1) instanceof Integer) {
      return "is null; give a value";
    }
    if (required) {
      return "is null; give a value (the key is required)";
    }
    if (defaults == null) {
      return "is null; leave the key out for the default or give a value";
    }
    JsonNode value = defaults;
    for (Object key : at.keys()) {
      value = key instanceof Integer i ? value.path(i) : value.path((String) key);
    }
    if (value.isMissingNode() || value.isNull()) {
      return "is null; leave the key out or give a value";
    }
    String shown = value.isValueNode() ? value.asText() : value.path("type").textValue();
    return shown == null
        ? "is null; leave the key out for the defaults or give a value"
        : "is null; leave the key out for the default (" + shown + ") or give a value";
  }
}
