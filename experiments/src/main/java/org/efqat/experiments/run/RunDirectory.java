package org.efqat.experiments.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A run's folder {@code <output>/<name>/}: {@code resolved-config.yaml}, {@code provenance.json},
 * {@code metrics.json}, {@code state.json} (completed stages) and the checkpoints. Every file is
 * written to a temporary file first and moved into place atomically, so an interrupted run never
 * leaves a half-written result.
 */
final class RunDirectory {
  static final String CONFIG = "resolved-config.yaml";
  static final String METRICS = "metrics.json";
  static final String STATE = "state.json";
  static final String PROVENANCE = "provenance.json";

  private final Path dir;
  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  RunDirectory(Path dir) {
    this.dir = dir;
  }

  Path path() {
    return dir;
  }

  Path file(String name) {
    return dir.resolve(name);
  }

  void create() throws IOException {
    Files.createDirectories(dir);
  }

  void writeText(String name, String text) throws IOException {
    Path tmp = Files.createTempFile(dir, "." + name, ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  void writeJson(String name, Object value) throws IOException {
    writeText(name, json.writeValueAsString(value) + "\n");
  }

  ObjectNode readJson(String name) throws IOException {
    Path f = dir.resolve(name);
    if (!Files.exists(f)) {
      return json.createObjectNode();
    }
    try {
      return (ObjectNode) json.readTree(f.toFile());
    } catch (IOException | ClassCastException e) {
      throw new IOException(f + " is not a JSON object: " + e.getMessage(), e);
    }
  }

  ObjectMapper json() {
    return json;
  }

  String readText(String name) {
    try {
      Path f = dir.resolve(name);
      return Files.exists(f) ? Files.readString(f) : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
