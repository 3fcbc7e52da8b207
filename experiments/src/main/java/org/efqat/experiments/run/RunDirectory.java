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
public final class RunDirectory {
  public static final String CONFIG = "resolved-config.yaml";
  public static final String METRICS = "metrics.json";
  public static final String STATE = "state.json";
  public static final String PROVENANCE = "provenance.json";

  private final Path dir;
  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** @param dir the folder (created by {@link #create()}) */
  public RunDirectory(Path dir) {
    this.dir = dir;
  }

  /** @return the folder */
  public Path path() {
    return dir;
  }

  /**
   * @param name a file name
   * @return its path in the folder
   */
  public Path file(String name) {
    return dir.resolve(name);
  }

  /**
   * Creates the folder and its parents.
   *
   * @throws IOException if that fails
   */
  public void create() throws IOException {
    Files.createDirectories(dir);
  }

  /**
   * Writes a UTF-8 text file atomically.
   *
   * @param name the file name
   * @param text its content
   * @throws IOException if that fails
   */
  public void writeText(String name, String text) throws IOException {
    writeBytes(name, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Writes a file atomically: to a temporary file in the folder, then moved into place.
   *
   * @param name the file name
   * @param content its content
   * @throws IOException if that fails
   */
  public void writeBytes(String name, byte[] content) throws IOException {
    Path tmp = Files.createTempFile(dir, "." + name, ".tmp");
    try {
      Files.write(tmp, content);
      Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Writes indented JSON atomically.
   *
   * @param name the file name
   * @param value a Jackson tree or a serializable object
   * @throws IOException if that fails
   */
  public void writeJson(String name, Object value) throws IOException {
    writeText(name, json.writeValueAsString(value) + "\n");
  }

  /**
   * @param name a JSON file in the folder
   * @return its object, or an empty one if the file does not exist
   * @throws IOException if it cannot be read or is not a JSON object
   */
  public ObjectNode readJson(String name) throws IOException {
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

  /** @return the JSON mapper files are written with */
  public ObjectMapper json() {
    return json;
  }

  /**
   * @param name a text file in the folder
   * @return its content, or {@code null} if it does not exist
   */
  public String readText(String name) {
    try {
      Path f = dir.resolve(name);
      return Files.exists(f) ? Files.readString(f) : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
