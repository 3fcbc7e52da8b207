package org.efqat.core.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** The strict YAML mapper of experiment files (immutable once built, so safe to share). */
final class Yaml {
  /** Strict reading: unknown keys, duplicate keys, nulls for primitives and coercions fail. */
  static final ObjectMapper MAPPER = build();

  private Yaml() {}

  private static ObjectMapper build() {
    YAMLFactory factory =
        YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
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
