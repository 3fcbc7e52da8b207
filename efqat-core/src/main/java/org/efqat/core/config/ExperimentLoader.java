package org.efqat.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.efqat.api.spi.ComponentProvider;
import org.efqat.api.spi.ConfigValueException;
import org.efqat.core.registry.ComponentRegistry;
import org.efqat.core.registry.NamedRegistry;

/**
 * Reads and validates experiment files. Two phases: the YAML is bound to {@link ExperimentConfig}
 * (structure, types, ranges: stops at the first error), then every {@link ComponentSpec} is
 * resolved against the registry and its options bound to the provider's config record (all
 * component errors are reported together). Every error names the file, line and YAML path.
 *
 * <p>Before parsing, a file is checked for its size ({@link #MAX_FILE_BYTES}), its encoding (UTF-8)
 * and its number of documents (one), and the parser itself is bounded (nesting depth, aliases,
 * string and number lengths; see {@code Yaml}), so that no file can hang the loader. An explicit
 * YAML null ({@code seed: ~}) is an error that names the default leaving the key out would give.
 */
public final class ExperimentLoader {
  /**
   * The largest experiment file, in bytes: 1 MiB. A larger file is refused before it is parsed
   * (real experiments are a few kilobytes; resolved configs of big models a few more).
   */
  public static final int MAX_FILE_BYTES = 1 << 20;

  private static final String UNKNOWN_KEY = "is not a known key";

  private final ComponentRegistry registry;

  /**
   * @param registry the components YAML may name
   */
  public ExperimentLoader(ComponentRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry is null");
  }

  /**
   * @param file an experiment file
   * @return the validated experiment
   * @throws ExperimentValidationException listing every error found; a file over {@link
   *     #MAX_FILE_BYTES}, not UTF-8 or with a second YAML document is refused before it is parsed
   */
  public ResolvedExperiment load(Path file) throws ExperimentValidationException {
    return parse(ExperimentText.read(file), file.toString());
  }

  /**
   * @param text an experiment document
   * @param source what to call it in messages, usually the file name
   * @return the validated experiment
   * @throws ExperimentValidationException listing every error found
   */
  public ResolvedExperiment parse(String text, String source) throws ExperimentValidationException {
    Parsed p = parseTree(text, source);
    if (p.tree().has(SWEEP_KEY)) {
      throw new ExperimentValidationException(
          List.of(
              new ConfigError(
                  source,
                  p.locations().lineOf(SWEEP_KEY),
                  SWEEP_KEY,
                  "declares a sweep of several experiments; run it with 'efqat sweep "
                      + source
                      + "' (or check every point with 'efqat validate')")));
    }
    return bind(p.tree(), source, p.locations());
  }

  /**
   * Reads an experiment file that declares a {@code sweep:} section: the file without that section
   * is the base experiment, validated as usual; the section is returned as parsed, for {@code
   * org.efqat.core.sweep} to expand into points.
   *
   * @param file an experiment file with a {@code sweep:} section
   * @return the base experiment and the sweep section
   * @throws ExperimentValidationException if the file has no sweep section or its base is invalid
   */
  public SweepDocument loadSweep(Path file) throws ExperimentValidationException {
    String source = file.toString();
    Parsed p = parseTree(ExperimentText.read(file), source);
    if (!p.tree().has(SWEEP_KEY)) {
      throw new ExperimentValidationException(
          List.of(
              new ConfigError(
                  source,
                  0,
                  "",
                  "has no 'sweep:' section; run a single experiment with 'efqat run "
                      + source
                      + "'")));
    }
    ObjectNode base = ((ObjectNode) p.tree()).deepCopy();
    JsonNode sweep = base.remove(SWEEP_KEY);
    return new SweepDocument(bind(base, source, p.locations()), sweep, p.locations()::lineOf);
  }

  /**
   * @param file an experiment file
   * @return whether it is a mapping with a top-level {@code sweep:} section; {@code false} for a
   *     file that does not parse (loading it then reports why)
   */
  public boolean isSweep(Path file) {
    try {
      return parseTree(ExperimentText.read(file), file.toString()).tree().has(SWEEP_KEY);
    } catch (ExperimentValidationException e) {
      return false;
    }
  }

  /** The top-level key of a sweep section. */
  public static final String SWEEP_KEY = "sweep";

  /** A parsed, null-free document and the line of each of its keys. */
  private record Parsed(JsonNode tree, YamlLocations locations) {}

  private Parsed parseTree(String text, String source) throws ExperimentValidationException {
    ExperimentText.checkSize(text, source);
    ExperimentText.checkEvents(text, source);
    YamlLocations locations = YamlLocations.index(text);
    JsonNode tree;
    try {
      tree = Yaml.MAPPER.readTree(text);
    } catch (StreamConstraintsException e) {
      throw new ExperimentValidationException(
          List.of(new ConfigError(source, lineOf(e), "", limitMessage(e))));
    } catch (DatabindException e) {
      throw new ExperimentValidationException(List.of(toError(e, "", source, locations)));
    } catch (JsonProcessingException e) {
      String msg = firstLine(e.getOriginalMessage());
      if (msg.startsWith("Expected a field name")) {
        // a complex key (a list or mapping used as a key): Jackson names SnakeYAML's events
        msg = "a key must be a plain name, not a list or a mapping";
      }
      throw new ExperimentValidationException(
          List.of(new ConfigError(source, lineOf(e), "", "is not valid YAML: " + msg)));
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      throw new ExperimentValidationException(
          List.of(new ConfigError(source, 0, "", "is empty; expected an experiment mapping")));
    }
    JsonNode experiment = tree;
    if (tree.isObject() && tree.has(SWEEP_KEY)) {
      ObjectNode sweepOnly = Yaml.MAPPER.createObjectNode();
      sweepOnly.set(SWEEP_KEY, tree.get(SWEEP_KEY));
      List<ExplicitNulls.At> inSweep = ExplicitNulls.find(sweepOnly);
      if (!inSweep.isEmpty()) {
        List<ConfigError> errors = new ArrayList<>();
        for (ExplicitNulls.At at : inSweep) {
          errors.add(
              new ConfigError(
                  source,
                  locations.lineOf(at.path()),
                  at.path(),
                  "is null; a sweep value must be written out (leave the path out of the sweep"
                      + " for its default)"));
        }
        throw new ExperimentValidationException(errors);
      }
      experiment = ((ObjectNode) tree).deepCopy();
      ((ObjectNode) experiment).remove(SWEEP_KEY);
    }
    List<ExplicitNulls.At> nulls = ExplicitNulls.find(experiment);
    if (!nulls.isEmpty()) {
      throw rejectNulls(experiment, nulls, source, locations);
    }
    return new Parsed(tree, locations);
  }

  /** Binds a parsed document: the config, then every component. */
  private ResolvedExperiment bind(JsonNode tree, String source, YamlLocations locations)
      throws ExperimentValidationException {
    ExperimentConfig config;
    try {
      config = Yaml.MAPPER.treeToValue(tree, ExperimentConfig.class);
    } catch (DatabindException e) {
      throw new ExperimentValidationException(List.of(toError(e, "", source, locations)));
    } catch (JsonProcessingException e) {
      throw new ExperimentValidationException(
          List.of(
              new ConfigError(
                  source, lineOf(e), "", "is not valid: " + firstLine(e.getOriginalMessage()))));
    }
    List<ConfigError> errors = new ArrayList<>();
    Binder binder = new Binder(source, locations, errors);
    Map<String, ResolvedComponent<?>> components = new LinkedHashMap<>();
    for (ComponentSites.Site site : ComponentSites.of(config)) {
      ResolvedComponent<?> c =
          binder.resolve(
              registry.typed(site.kind()),
              site.spec().apply(config),
              site.path(),
              site.sharedKeys());
      if (c != null) {
        components.put(site.path(), c);
      }
    }
    if (!errors.isEmpty()) {
      throw new ExperimentValidationException(errors);
    }
    return new ResolvedExperiment(source, config, components);
  }

  /**
   * An explicit null is an error, not a default: {@code seed: ~} names the default ({@code 0}) that
   * leaving the key out gives. The defaults come from binding the document without its null keys; a
   * null under a key that does not exist is reported as an unknown key.
   */
  private ExperimentValidationException rejectNulls(
      JsonNode tree, List<ExplicitNulls.At> nulls, String source, YamlLocations locations) {
    List<ConfigError> asWritten = errorsOf(tree, source, locations);
    JsonNode defaults = null;
    List<ConfigError> withoutNulls;
    try {
      ResolvedExperiment e = bind(ExplicitNulls.withoutNullKeys(tree), source, locations);
      defaults = Yaml.MAPPER.valueToTree(e.resolvedConfig());
      withoutNulls = List.of();
    } catch (ExperimentValidationException e) {
      withoutNulls = e.errors();
    }
    Set<String> nullPaths = new HashSet<>();
    List<ConfigError> errors = new ArrayList<>();
    for (ExplicitNulls.At at : nulls) {
      nullPaths.add(at.path());
      ConfigError unknown = at(asWritten, at.path(), UNKNOWN_KEY);
      if (unknown != null) {
        errors.add(unknown);
        continue;
      }
      boolean required = at(withoutNulls, at.path(), "") != null;
      errors.add(
          new ConfigError(
              source,
              locations.lineOf(at.path()),
              at.path(),
              ExplicitNulls.message(at, defaults, required)));
    }
    for (ConfigError e : withoutNulls) {
      if (!nullPaths.contains(e.path())) {
        errors.add(e);
      }
    }
    errors.sort(Comparator.comparingInt(ConfigError::line));
    return new ExperimentValidationException(errors);
  }

  private List<ConfigError> errorsOf(JsonNode tree, String source, YamlLocations locations) {
    try {
      bind(tree, source, locations);
      return List.of();
    } catch (ExperimentValidationException e) {
      return e.errors();
    }
  }

  private static ConfigError at(List<ConfigError> errors, String path, String messagePrefix) {
    for (ConfigError e : errors) {
      if (e.path().equals(path) && e.message().startsWith(messagePrefix)) {
        return e;
      }
    }
    return null;
  }

  private static int lineOf(JsonProcessingException e) {
    JsonLocation loc = e.getLocation();
    return loc == null ? 0 : Math.max(loc.getLineNr(), 0);
  }

  /** A parser limit was hit: which one, in words. */
  private static String limitMessage(StreamConstraintsException e) {
    String m = String.valueOf(e.getOriginalMessage());
    if (m.contains("nesting depth")) {
      return ExperimentText.nestingMessage();
    }
    return "is over a limit for experiment files: " + firstLine(m);
  }

  /**
   * The same experiment with some values changed by YAML path, validated again: what {@code efqat
   * compare} runs for each backend, {@code efqat bench} for each policy and fraction, and a sweep
   * for each point. The paths address the resolved config, where every component is a mapping with
   * its options spelled out ({@code efqat.freeze.p}, {@code model.architecture.width}).
   *
   * @param experiment a validated experiment
   * @param values new values by dotted YAML path; a missing intermediate mapping is created, and a
   *     {@code null} value removes the key (its default applies)
   * @param origin what to call the source of the values in messages, e.g. {@code --backends}
   * @return the changed experiment, whose {@link ResolvedExperiment#source()} is unchanged
   * @throws ExperimentValidationException if a changed value is not valid, naming the origin and
   *     the path
   */
  public ResolvedExperiment override(
      ResolvedExperiment experiment, Map<String, Object> values, String origin)
      throws ExperimentValidationException {
    ObjectNode tree = Yaml.MAPPER.valueToTree(experiment.resolvedConfig());
    for (Map.Entry<String, Object> e : values.entrySet()) {
      String[] keys = e.getKey().split("\\.", -1);
      ObjectNode parent = tree;
      for (int i = 0; i < keys.length - 1; i++) {
        JsonNode child = parent.get(keys[i]);
        if (child == null || !child.isObject()) {
          child = parent.putObject(keys[i]);
        }
        parent = (ObjectNode) child;
      }
      if (e.getValue() == null) {
        parent.remove(keys[keys.length - 1]); // back to the default: never an explicit null
      } else {
        parent.set(keys[keys.length - 1], Yaml.MAPPER.valueToTree(e.getValue()));
      }
    }
    String text;
    try {
      text = Yaml.MAPPER.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the changed config: " + e, e);
    }
    ResolvedExperiment changed;
    try {
      changed = parse(text, origin);
    } catch (ExperimentValidationException e) {
      // lines of the regenerated text mean nothing to the user: the origin names the values
      throw new ExperimentValidationException(
          e.errors().stream()
              .map(c -> new ConfigError(c.file(), 0, c.path(), c.message()))
              .toList());
    }
    return new ResolvedExperiment(experiment.source(), changed.config(), changed.components());
  }

  /** Binds component sections, collecting errors. */
  private static final class Binder {
    private final String source;
    private final YamlLocations locations;
    private final List<ConfigError> errors;

    Binder(String source, YamlLocations locations, List<ConfigError> errors) {
      this.source = source;
      this.locations = locations;
      this.errors = errors;
    }

    <P extends ComponentProvider<?, ?>> ResolvedComponent<P> resolve(
        NamedRegistry<P> registry, ComponentSpec spec, String path, Set<String> sharedKeys) {
      if (!registry.contains(spec.type())) {
        String typePath = path + ".type";
        errors.add(
            new ConfigError(
                source,
                locations.lineOf(typePath),
                typePath,
                "'"
                    + spec.type()
                    + "' is not a registered "
                    + registry.kind().label()
                    + "; available: "
                    + String.join(", ", registry.names())
                    + " (a plugin jar providing "
                    + registry.kind().serviceType().getSimpleName()
                    + " may be missing from the class path)"
                    + registry.brokenHint()));
        return null;
      }
      P provider = registry.get(spec.type());
      try {
        Record config = bind(spec.options(), provider.configType());
        return new ResolvedComponent<>(path, provider, config);
      } catch (IllegalArgumentException e) {
        if (e.getCause() instanceof DatabindException de) {
          ConfigError error = toError(de, path, source, locations);
          if (de instanceof UnrecognizedPropertyException && !sharedKeys.isEmpty()) {
            error =
                new ConfigError(
                    error.file(),
                    error.line(),
                    error.path(),
                    error.message()
                        + " (and "
                        + String.join(", ", new TreeSet<>(sharedKeys))
                        + ")");
          }
          errors.add(error);
        } else {
          errors.add(new ConfigError(source, locations.lineOf(path), path, describe(e)));
        }
        return null;
      }
    }

    private static <C extends Record> C bind(Map<String, Object> options, Class<C> type) {
      return Yaml.MAPPER.convertValue(options, type);
    }
  }

  /**
   * Turns a Jackson binding error into a one-line error with a YAML path.
   *
   * @param e the error
   * @param prefix the YAML path of the value being bound ({@code ""} for the document)
   */
  static ConfigError toError(
      DatabindException e, String prefix, String source, YamlLocations locations) {
    String path = join(prefix, pathOf(((JsonMappingException) e).getPath()));
    String message;
    ConfigValueException cve = findCause(e, ConfigValueException.class);
    if (e instanceof UnrecognizedPropertyException u) {
      TreeSet<String> known = new TreeSet<>();
      u.getKnownPropertyIds().forEach(k -> known.add(String.valueOf(k)));
      message = UNKNOWN_KEY + "; known keys here: " + String.join(", ", known);
    } else if (cve != null) {
      path = join(path, cve.key());
      message = cve.problem();
    } else if (findCause(e, InputCoercionException.class) != null) {
      InputCoercionException c = findCause(e, InputCoercionException.class);
      message =
          "must be "
              + typeName(c.getTargetType())
              + " that fits in "
              + rangeOf(c.getTargetType())
              + " (was "
              + shorten(text(c))
              + ")";
    } else if (e instanceof InvalidFormatException f) {
      message = "must be " + typeName(f.getTargetType()) + " (was '" + f.getValue() + "')";
    } else if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      message = "must be " + typeName(m.getTargetType()) + wasKind(m.getOriginalMessage());
    } else {
      IllegalArgumentException iae = findCause(e, IllegalArgumentException.class);
      message = iae != null ? describe(iae) : firstLine(e.getOriginalMessage());
    }
    int line = locations.lineOf(path);
    if (line == 0 && cve == null && e.getLocation() != null && prefix.isEmpty()) {
      line = Math.max(e.getLocation().getLineNr(), 0);
    }
    return new ConfigError(source, line, path, message);
  }

  /** The range of an integral Java type, in words. */
  private static String rangeOf(Class<?> type) {
    return type == Integer.class || type == int.class
        ? "[" + Integer.MIN_VALUE + ", " + Integer.MAX_VALUE + "]"
        : "[" + Long.MIN_VALUE + ", " + Long.MAX_VALUE + "]";
  }

  /** The text of the number that did not fit, as the parser saw it. */
  private static String text(InputCoercionException c) {
    try {
      return c.getProcessor() == null ? "" : c.getProcessor().getText();
    } catch (java.io.IOException e) {
      return "";
    }
  }

  private static String shorten(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }

  /** What Jackson found instead, from its message: {@code " (was a list)"} or nothing. */
  private static String wasKind(String jacksonMessage) {
    String m = jacksonMessage == null ? "" : jacksonMessage;
    if (m.contains("from Array value")) {
      return " (was a list)";
    }
    if (m.contains("from Object value")) {
      return " (was a mapping)";
    }
    if (m.contains("from Boolean value")) {
      return " (was a boolean)";
    }
    if (m.contains("from Floating-point value")) {
      return " (was a decimal number)";
    }
    if (m.contains("from Integer value")) {
      return " (was an integer)";
    }
    return "";
  }

  private static String describe(IllegalArgumentException e) {
    return e instanceof ConfigValueException c ? c.getMessage() : "is invalid: " + e.getMessage();
  }

  private static <T extends Throwable> T findCause(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static String typeName(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (type == Double.class || type == double.class || type == Float.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type.isRecord() || Map.class.isAssignableFrom(type)) {
      return "a mapping";
    }
    if (List.class.isAssignableFrom(type)) {
      return "a list";
    }
    return "a " + type.getSimpleName();
  }

  private static String pathOf(List<JsonMappingException.Reference> refs) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : refs) {
      if (r.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static String join(String a, String b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    return b.startsWith("[") ? a + b : a + "." + b;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
