package org.efqat.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The line of every key of a YAML document, by YAML path ({@code efqat.freeze.p}, {@code
 * sweep[0].p}), so that errors found after parsing still name a line.
 */
final class YamlLocations {
  private final Map<String, Integer> lines;

  private YamlLocations(Map<String, Integer> lines) {
    this.lines = lines;
  }

  /**
   * @return an index that knows no line
   */
  static YamlLocations empty() {
    return new YamlLocations(Map.of());
  }

  /**
   * @param text a YAML document
   * @return the index; empty if the text does not parse (the parse error reports its own line)
   */
  static YamlLocations index(String text) {
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser p = Yaml.MAPPER.getFactory().createParser(text)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.FIELD_NAME) {
          String path = toPath(p.getParsingContext().pathAsPointer());
          lines.putIfAbsent(path, p.currentTokenLocation().getLineNr());
        }
      }
    } catch (IOException | RuntimeException e) {
      // A syntax error: keep what was indexed before it.
    }
    return new YamlLocations(lines);
  }

  /**
   * @param path a YAML path
   * @return the line of that key, or of its closest ancestor that exists; 0 when unknown
   */
  int lineOf(String path) {
    String p = path;
    while (!p.isEmpty()) {
      Integer line = lines.get(p);
      if (line != null) {
        return line;
      }
      int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = cut < 0 ? "" : p.substring(0, cut);
    }
    return 0;
  }

  private static String toPath(JsonPointer pointer) {
    StringBuilder sb = new StringBuilder();
    for (JsonPointer p = pointer; p != null && !p.matches(); p = p.tail()) {
      if (p.mayMatchElement()) {
        sb.append('[').append(p.getMatchingIndex()).append(']');
      } else {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(p.getMatchingProperty());
      }
    }
    return sb.toString();
  }
}
