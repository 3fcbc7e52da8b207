package org.efqat.core.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.efqat.api.spi.ComponentProvider;
import org.efqat.core.config.ComponentSites;
import org.efqat.core.config.ConfigError;
import org.efqat.core.config.ExperimentLoader;
import org.efqat.core.config.ExperimentValidationException;
import org.efqat.core.config.ResolvedExperiment;
import org.efqat.core.config.SweepDocument;
import org.efqat.core.registry.ComponentRegistry;
import org.efqat.core.registry.NamedRegistry;

/**
 * Expands an experiment file's {@code sweep:} section into validated points.
 *
 * <pre>
 * sweep:
 *   efqat.freeze.type: [cwpl, cwpn, lwpn]     # a grid axis: a YAML path of the resolved config
 *   efqat.freeze.p: [0.05, 0.1, 0.25]          #   and its values; the grid is the product
 *   quantization.weights.bits: [8, 4]
 *   grids:                                     # optional further grids, after the first
 *     - {quantization.weights.bits: [4], quantization.activations.bits: [8],
 *        efqat.freeze.type: [cwpn], efqat.freeze.p: [0.1, 0.25]}
 *   points:                                    # optional explicit points, after the grids
 *     - {efqat.freeze.type: none}
 *     - {efqat.freeze.type: all}
 * </pre>
 *
 * Paths address the resolved config, where every component is a mapping with its options spelled
 * out ({@code efqat.freeze.p}, {@code model.architecture.width}). Grid points come first, in file
 * order with the last axis varying fastest, then each of {@code grids} expanded the same way (a
 * union of grids: paths that change together, such as weight and activation bits, are single-value
 * axes of one grid), then the explicit points; point {@code i} is named {@code <name>-p<i>} (three
 * digits at least) and runs in {@code <output>/<name>/points/}. Changing a component's {@code type}
 * keeps the base's options that the new component also has (a policy's {@code p} from {@code cwpn}
 * to {@code cwpl}) and drops the others ({@code p} when the type becomes {@code none}); the point's
 * own values for that component then apply. Every point is validated; errors name the file, the
 * point and the path.
 */
public final class SweepPlan {
  /** The most points a sweep may have. */
  public static final int MAX_POINTS = 100_000;

  /** The key of further grids, each expanded like the top-level one and appended after it. */
  public static final String GRIDS_KEY = "grids";

  /** The key of the explicit points. */
  public static final String POINTS_KEY = "points";

  private static final Set<String> RESERVED = Set.of("name", "output", "version", "sweep");
  private static final ObjectMapper JSON = new ObjectMapper();

  private SweepPlan() {}

  /**
   * @param doc the file's base experiment and sweep section
   * @param loader validates each point
   * @param registry the components (for the options of a component whose type a point changes)
   * @return the sweep
   * @throws ExperimentValidationException listing every problem of the section and of every point
   */
  public static Sweep expand(SweepDocument doc, ExperimentLoader loader, ComponentRegistry registry)
      throws ExperimentValidationException {
    ResolvedExperiment base = doc.base();
    String source = base.source();
    List<ConfigError> errors = new ArrayList<>();
    Map<String, List<Object>> axes = new LinkedHashMap<>();
    List<Map<String, List<Object>>> grids = new ArrayList<>();
    List<Map<String, Object>> explicit = new ArrayList<>();
    readSection(doc, axes, grids, explicit, errors);
    if (!errors.isEmpty()) {
      throw new ExperimentValidationException(errors);
    }
    List<Map<String, Object>> values = grid(axes);
    Set<String> paths = new LinkedHashSet<>(axes.keySet());
    for (Map<String, List<Object>> g : grids) {
      values.addAll(grid(g));
      paths.addAll(g.keySet());
      if (values.size() > MAX_POINTS) {
        break; // reported below
      }
    }
    values.addAll(explicit);
    if (values.size() > MAX_POINTS) {
      throw new ExperimentValidationException(
          List.of(
              new ConfigError(
                  source,
                  doc.lineOf(ExperimentLoader.SWEEP_KEY),
                  ExperimentLoader.SWEEP_KEY,
                  "has " + values.size() + " points; at most " + MAX_POINTS + " are allowed")));
    }
    Path folder = Path.of(base.config().output()).resolve(base.config().name());
    int digits = Math.max(3, String.valueOf(values.size() - 1).length());
    List<SweepPoint> points = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      String id = "p" + String.format(Locale.ROOT, "%0" + digits + "d", i);
      Map<String, Object> v = values.get(i);
      SweepPoint described = new SweepPoint(i, id, v, base);
      String origin = source + " sweep point " + i + " (" + described.describe() + ")";
      Map<String, Object> changes = componentResets(base, v, registry);
      changes.putAll(v);
      changes.put("name", base.config().name() + "-" + id);
      changes.put("output", folder.resolve("points").toString());
      try {
        points.add(new SweepPoint(i, id, v, loader.override(base, changes, origin)));
      } catch (ExperimentValidationException e) {
        errors.addAll(e.errors());
      }
    }
    if (!errors.isEmpty()) {
      throw new ExperimentValidationException(errors);
    }
    return new Sweep(base, List.copyOf(paths), points, folder);
  }

  private static void readSection(
      SweepDocument doc,
      Map<String, List<Object>> axes,
      List<Map<String, List<Object>>> grids,
      List<Map<String, Object>> explicit,
      List<ConfigError> errors) {
    String source = doc.base().source();
    JsonNode sweep = doc.sweep();
    String key = ExperimentLoader.SWEEP_KEY;
    if (sweep == null || !sweep.isObject() || sweep.isEmpty()) {
      errors.add(
          new ConfigError(
              source,
              doc.lineOf(key),
              key,
              "must be a mapping of YAML paths to lists of values (and optional 'grids' and"
                  + " 'points' lists of mappings)"));
      return;
    }
    for (Map.Entry<String, JsonNode> e : sweep.properties()) {
      String path = key + "." + e.getKey();
      if (e.getKey().equals(POINTS_KEY)) {
        readPoints(source, doc, path, e.getValue(), explicit, errors);
      } else if (e.getKey().equals(GRIDS_KEY)) {
        readGrids(source, doc, path, e.getValue(), grids, errors);
      } else {
        readAxis(source, doc, path, e.getKey(), e.getValue(), axes, errors);
      }
    }
  }

  /** One grid axis: {@code path: [values]}; {@code at} is its YAML path in the file. */
  private static void readAxis(
      String source,
      SweepDocument doc,
      String at,
      String axis,
      JsonNode list,
      Map<String, List<Object>> axes,
      List<ConfigError> errors) {
    int line = doc.lineOf(at);
    String bad = badPath(axis);
    if (bad != null) {
      errors.add(new ConfigError(source, line, at, bad));
      return;
    }
    if (!list.isArray() || list.isEmpty()) {
      errors.add(
          new ConfigError(
              source,
              line,
              at,
              "must be a non-empty list of values, e.g. [0.05, 0.1] (was " + kind(list) + ")"));
      return;
    }
    List<Object> vs = new ArrayList<>();
    for (JsonNode n : list) {
      vs.add(toValue(n));
    }
    axes.put(axis, vs);
  }

  private static void readGrids(
      String source,
      SweepDocument doc,
      String path,
      JsonNode list,
      List<Map<String, List<Object>>> grids,
      List<ConfigError> errors) {
    for (Map.Entry<String, JsonNode> g :
        mappings(
            source,
            doc,
            path,
            list,
            "grids, each a mapping from YAML paths to lists of values",
            "a mapping from YAML paths to lists of values, e.g. {efqat.freeze.p: [0.05, 0.1]}",
            errors)) {
      Map<String, List<Object>> axes = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : g.getValue().properties()) {
        String at = g.getKey() + "." + e.getKey();
        readAxis(source, doc, at, e.getKey(), e.getValue(), axes, errors);
      }
      grids.add(axes);
    }
  }

  private static void readPoints(
      String source,
      SweepDocument doc,
      String path,
      JsonNode list,
      List<Map<String, Object>> explicit,
      List<ConfigError> errors) {
    for (Map.Entry<String, JsonNode> p :
        mappings(
            source,
            doc,
            path,
            list,
            "mappings from YAML paths to values",
            "a mapping from YAML paths to values, e.g. {efqat.freeze.type: none}",
            errors)) {
      Map<String, Object> values = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : p.getValue().properties()) {
        String bad = badPath(e.getKey());
        if (bad != null) {
          errors.add(
              new ConfigError(source, doc.lineOf(p.getKey()), p.getKey() + "." + e.getKey(), bad));
          continue;
        }
        values.put(e.getKey(), toValue(e.getValue()));
      }
      explicit.add(values);
    }
  }

  /**
   * The items of a non-empty list of non-empty mappings, each with its YAML path ({@code path[i]});
   * every other item, or another kind of list, is an error.
   */
  private static List<Map.Entry<String, JsonNode>> mappings(
      String source,
      SweepDocument doc,
      String path,
      JsonNode list,
      String listOf,
      String item,
      List<ConfigError> errors) {
    List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
    if (!list.isArray() || list.isEmpty()) {
      errors.add(
          new ConfigError(
              source,
              doc.lineOf(path),
              path,
              "must be a non-empty list of " + listOf + " (was " + kind(list) + ")"));
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode m = list.get(i);
      String at = path + "[" + i + "]";
      if (!m.isObject() || m.isEmpty()) {
        errors.add(
            new ConfigError(
                source, doc.lineOf(at), at, "must be " + item + " (was " + kind(m) + ")"));
      } else {
        out.add(Map.entry(at, m));
      }
    }
    return out;
  }

  /**
   * @return why the path cannot be swept, or {@code null}
   */
  private static String badPath(String path) {
    if (path.isEmpty() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
      return "is not a YAML path such as efqat.freeze.p";
    }
    String top = path.split("\\.", -1)[0];
    if (RESERVED.contains(top)) {
      return "cannot be swept: the sweep sets "
          + (top.equals("name") || top.equals("output") ? "each point's " + top : top)
          + " itself";
    }
    return null;
  }

  /** The product of the axes, last axis fastest; one empty point when there are none. */
  private static List<Map<String, Object>> grid(Map<String, List<Object>> axes) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (axes.isEmpty()) {
      return out;
    }
    out.add(new LinkedHashMap<>());
    for (Map.Entry<String, List<Object>> axis : axes.entrySet()) {
      List<Map<String, Object>> next = new ArrayList<>();
      for (Map<String, Object> partial : out) {
        for (Object v : axis.getValue()) {
          Map<String, Object> p = new LinkedHashMap<>(partial);
          p.put(axis.getKey(), v);
          next.add(p);
        }
        if (next.size() > MAX_POINTS) {
          return next; // reported by the caller
        }
      }
      out = next;
    }
    return out;
  }

  /**
   * For every component whose {@code type} the point changes: the component's mapping reset to the
   * new type and those of the base's options that the new type also has.
   */
  private static Map<String, Object> componentResets(
      ResolvedExperiment base, Map<String, Object> values, ComponentRegistry registry) {
    Map<String, Object> resets = new LinkedHashMap<>();
    JsonNode tree = JSON.valueToTree(base.resolvedConfig());
    for (ComponentSites.Site site : ComponentSites.of(base.config())) {
      Object type = values.get(site.path() + ".type");
      if (!(type instanceof String name)) {
        continue;
      }
      JsonNode current = tree.at("/" + site.path().replace('.', '/'));
      if (!current.isObject()) {
        continue;
      }
      NamedRegistry<ComponentProvider<?, ?>> providers = registry.typed(site.kind());
      if (!providers.contains(name)) {
        continue; // the binder names the unknown component and the known ones
      }
      Set<String> keep = new HashSet<>(site.sharedKeys());
      Class<?> options = providers.get(name).configType();
      if (options.isRecord()) {
        for (RecordComponent c : options.getRecordComponents()) {
          keep.add(c.getName());
        }
      }
      Map<String, Object> reset = new LinkedHashMap<>();
      reset.put("type", name);
      for (Map.Entry<String, JsonNode> e : current.properties()) {
        if (!e.getKey().equals("type") && keep.contains(e.getKey()) && !e.getValue().isNull()) {
          reset.put(e.getKey(), toValue(e.getValue()));
        }
      }
      resets.put(site.path(), reset);
    }
    return resets;
  }

  private static Object toValue(JsonNode n) {
    try {
      return JSON.treeToValue(n, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot convert a parsed YAML value: " + e, e);
    }
  }

  private static String kind(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "nothing";
    }
    if (n.isArray()) {
      return n.isEmpty() ? "an empty list" : "a list";
    }
    if (n.isObject()) {
      return n.isEmpty() ? "an empty mapping" : "a mapping";
    }
    return n.isTextual() ? "'" + n.asText() + "'" : n.toString();
  }
}
