package org.efqat.core.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import org.efqat.core.config.ResolvedExperiment;

/**
 * The identity of a sweep point's FP and PTQ stages: a hash of the parts of its resolved config
 * that decide the stage's result. Points with the same key share the stage.
 *
 * <ul>
 *   <li>FP: {@code seed}, {@code backend}, {@code model}, {@code data}, {@code pretrain};
 *   <li>PTQ: the FP key's parts and {@code quantization}.
 * </ul>
 *
 * Keys of mappings are sorted first, so the order options are written in does not matter.
 */
final class StageKeys {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> FP = List.of("seed", "backend", "model", "data", "pretrain");

  private StageKeys() {}

  /**
   * @param e a point's experiment
   * @return its FP stage's key, 12 hex digits
   */
  static String fp(ResolvedExperiment e) {
    return hash(e, FP);
  }

  /**
   * @param e a point's experiment
   * @return its PTQ stage's key, 12 hex digits
   */
  static String ptq(ResolvedExperiment e) {
    List<String> parts = new ArrayList<>(FP);
    parts.add("quantization");
    return hash(e, parts);
  }

  private static String hash(ResolvedExperiment e, List<String> parts) {
    JsonNode all = JSON.valueToTree(e.resolvedConfig());
    ObjectNode picked = JSON.createObjectNode();
    for (String p : parts) {
      JsonNode v = all.get(p);
      if (v != null && !v.isNull()) {
        picked.set(p, sorted(v));
      }
    }
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(JSON.writeValueAsString(picked).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 6);
    } catch (NoSuchAlgorithmException | JsonProcessingException ex) {
      throw new IllegalStateException("cannot hash a config: " + ex, ex);
    }
  }

  private static JsonNode sorted(JsonNode n) {
    if (n.isObject()) {
      List<String> names = new ArrayList<>();
      n.fieldNames().forEachRemaining(names::add);
      Collections.sort(names);
      ObjectNode out = JSON.createObjectNode();
      for (String k : names) {
        if (!n.get(k).isNull()) {
          out.set(k, sorted(n.get(k)));
        }
      }
      return out;
    }
    if (n.isArray()) {
      ArrayNode out = JSON.createArrayNode();
      n.forEach(c -> out.add(sorted(c)));
      return out;
    }
    return n;
  }
}
