package org.efqat.experiments.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run's resolved config says about the axes of a study: the freeze policy and its nominal
 * unfrozen fraction, the bit widths, the refresh interval, the seed and the backend. Read from
 * {@code resolved-config.yaml}, where every component is a mapping with its options spelled out. A
 * field is {@code null} when the config does not say.
 *
 * @param policy the freeze policy ({@code efqat.freeze.type}), e.g. {@code cwpn}
 * @param p the nominal unfrozen fraction {@code efqat.freeze.p} in [0, 1]; 0 for {@code none} and 1
 *     for {@code all}, which have no {@code p}
 * @param weightBits {@code quantization.weights.bits}
 * @param activationBits {@code quantization.activations.bits}
 * @param firstLayerBits {@code quantization.firstLayerBits} (the first quantized layer's weights
 *     and input), or {@code null} when it uses the others
 * @param lastLayerBits {@code quantization.lastLayerBits}, likewise
 * @param interval {@code efqat.interval}: training samples between two row selections ({@code f})
 * @param seed {@code seed}
 * @param backend the backend's name ({@code backend.type})
 * @param model the model architecture ({@code model.architecture.type})
 * @param dataset the dataset ({@code data.dataset.type})
 */
public record RunFacts(
    String policy,
    Double p,
    Integer weightBits,
    Integer activationBits,
    Integer firstLayerBits,
    Integer lastLayerBits,
    Long interval,
    Long seed,
    String backend,
    String model,
    String dataset) {

  /** The YAML paths these facts cover; other swept paths are a point's extra dimensions. */
  public static final List<String> PATHS =
      List.of(
          "efqat.freeze.type",
          "efqat.freeze.p",
          "quantization.weights.bits",
          "quantization.activations.bits",
          "quantization.firstLayerBits",
          "quantization.lastLayerBits",
          "efqat.interval",
          "seed",
          "backend",
          "backend.type",
          "model.architecture.type",
          "data.dataset.type");

  /** The policy of plain QAT (every row trained, p = 1). */
  public static final String QAT = "all";

  /** The policy that trains no row, only the always-trained parameters (p = 0). */
  public static final String NONE = "none";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /**
   * @param yaml a {@code resolved-config.yaml}
   * @return its facts
   * @throws ReportException naming the file if it cannot be read or is not a YAML mapping
   */
  public static RunFacts read(Path yaml) {
    return of(readValues(yaml));
  }

  /**
   * @param yaml a {@code resolved-config.yaml}
   * @return the values it gives to {@link #PATHS}, in that order (numbers as numbers)
   * @throws ReportException naming the file if it cannot be read or is not a YAML mapping
   */
  public static Map<String, Object> readValues(Path yaml) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml.toFile());
    } catch (JsonProcessingException e) {
      throw new ReportException(
          yaml + " is not valid YAML (" + firstLine(e.getOriginalMessage()) + ")", e);
    } catch (IOException e) {
      throw new ReportException(yaml + " cannot be read: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new ReportException(yaml + " is not a resolved config (expected a YAML mapping)");
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (String path : PATHS) {
      JsonNode n = root.at("/" + path.replace('.', '/'));
      if (n.isValueNode() && !n.isNull()) {
        values.put(path, n.isNumber() ? n.numberValue() : n.asText());
      }
    }
    return values;
  }

  /**
   * @param values values by YAML path, e.g. a sweep point's
   * @return the facts those values state
   */
  public static RunFacts of(Map<String, Object> values) {
    String policy = text(values.get("efqat.freeze.type"));
    Double p = number(values.get("efqat.freeze.p"));
    if (p == null && NONE.equals(policy)) {
      p = 0.0;
    } else if (p == null && QAT.equals(policy)) {
      p = 1.0;
    }
    Object backend = values.containsKey("backend.type") ? values.get("backend.type") : null;
    if (backend == null) {
      backend = values.get("backend");
    }
    return new RunFacts(
        policy,
        p,
        integer(values.get("quantization.weights.bits")),
        integer(values.get("quantization.activations.bits")),
        integer(values.get("quantization.firstLayerBits")),
        integer(values.get("quantization.lastLayerBits")),
        longValue(values.get("efqat.interval")),
        longValue(values.get("seed")),
        text(backend),
        text(values.get("model.architecture.type")),
        text(values.get("data.dataset.type")));
  }

  /**
   * @return the bit widths in the paper's notation: {@code W4A8}, {@code W4A4 (first/last 8)},
   *     {@code W? A?} for an unknown width
   */
  public String bitsLabel() {
    String label =
        "W"
            + (weightBits == null ? "?" : weightBits)
            + "A"
            + (activationBits == null ? "?" : activationBits);
    if (firstLayerBits != null && firstLayerBits.equals(lastLayerBits)) {
      return label + " (first/last " + firstLayerBits + ")";
    }
    if (firstLayerBits != null || lastLayerBits != null) {
      return label
          + " (first "
          + (firstLayerBits == null ? "as others" : firstLayerBits)
          + ", last "
          + (lastLayerBits == null ? "as others" : lastLayerBits)
          + ")";
    }
    return label;
  }

  /**
   * @return whether the policy is an EfQAT policy that picks rows (not {@code none}, not {@code
   *     all})
   */
  public boolean picksRows() {
    return policy != null && !NONE.equals(policy) && !QAT.equals(policy);
  }

  private static String text(Object v) {
    return v == null ? null : String.valueOf(v);
  }

  private static Double number(Object v) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return v == null ? null : Double.valueOf(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Integer integer(Object v) {
    Double d = number(v);
    return d == null || d != Math.rint(d) ? null : (int) Math.round(d);
  }

  private static Long longValue(Object v) {
    if (v instanceof Long || v instanceof Integer || v instanceof Short) {
      return ((Number) v).longValue();
    }
    Double d = number(v);
    return d == null || d != Math.rint(d) ? null : Math.round(d);
  }

  private static String firstLine(String m) {
    if (m == null) {
      return "unreadable";
    }
    int nl = m.indexOf('\n');
    return (nl < 0 ? m : m.substring(0, nl)).strip();
  }
}
