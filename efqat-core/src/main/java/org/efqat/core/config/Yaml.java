package org.efqat.core.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.yaml.snakeyaml.LoaderOptions;

/** The strict YAML mapper of experiment files (immutable once built, so safe to share). */
final class Yaml {
  /** Strict reading: unknown keys, duplicate keys, nulls for primitives and coercions fail. */
  static final ObjectMapper MAPPER = build();

  /**
   * The deepest nesting of mappings and lists an experiment file may have. Real files nest about 5
   * deep; the limit keeps a pathological file from exhausting the stack.
   */
  static final int MAX_NESTING_DEPTH = 32;

  /** The most aliases ({@code *name}) of collections a file may use (SnakeYAML's default). */
  static final int MAX_ALIASES = 50;

  /** The longest number, in characters, that the parser reads. */
  static final int MAX_NUMBER_LENGTH = 100;

  private Yaml() {}

  /**
   * What SnakeYAML may do: at most {@link ExperimentLoader#MAX_FILE_BYTES} code points, {@link
   * #MAX_NESTING_DEPTH} levels, {@link #MAX_ALIASES} aliases, no recursive keys.
   *
   * @return new loader options (SnakeYAML's are mutable, so each caller gets its own)
   */
  static LoaderOptions loaderOptions() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(ExperimentLoader.MAX_FILE_BYTES);
    options.setNestingDepthLimit(MAX_NESTING_DEPTH);
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setAllowRecursiveKeys(false);
    return options;
  }

  private static ObjectMapper build() {
    YAMLFactory factory =
        YAMLFactory.builder()
            .loaderOptions(loaderOptions())
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxDocumentLength(ExperimentLoader.MAX_FILE_BYTES)
                    .maxStringLength(ExperimentLoader.MAX_FILE_BYTES)
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // `key:` with no value is a null (reported as such), not an empty string.
            .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();
    return YAMLMapper.builder(factory)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .defaultPropertyInclusion(nonNull())
        .build();
  }

  /**
   * @return a JSON mapper with the same strictness, for provenance and metrics files
   */
  static ObjectMapper json() {
    return JsonMapper.builder().defaultPropertyInclusion(nonNull()).build();
  }

  /** Leaves out null values (what the deprecated {@code serializationInclusion(NON_NULL)} did). */
  private static JsonInclude.Value nonNull() {
    return JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL);
  }
}
