package org.efqat.core.session;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A run's folder {@code <output>/<name>/}: {@value #CONFIG}, {@value #PROVENANCE}, {@value
 * #METRICS}, {@value #STATE}, the stages' checkpoints and, while a stage is interrupted, its resume
 * checkpoint. Every file is written to a temporary file in the folder first and moved into place
 * atomically, so an interrupted run never leaves a half-written file; temporary files left by a
 * killed process are removed when the folder is opened. Every file read is validated: a damaged or
 * foreign file is an error naming it.
 */
public final class RunFolder {
  /** The resolved config. */
  public static final String CONFIG = "resolved-config.yaml";

  /** The typed metrics ({@link RunMetrics}). */
  public static final String METRICS = "metrics.json";

  /** Completed stages and input files ({@link RunState}). */
  public static final String STATE = "state.json";

  /** Versions, backend, seed, components ({@link Provenance}). */
  public static final String PROVENANCE = "provenance.json";

  private static final String TMP_SUFFIX = ".tmp";

  /**
   * The temporary files of this folder's atomic writes ({@code .<name><random>.tmp}) and of {@link
   * org.efqat.core.checkpoint.SafetensorsWriter} ({@code .<name>.tmp-<pid>-<time>-<attempt>}).
   */
  private static final String STALE_TEMPORARY = "{.*" + TMP_SUFFIX + ",.*" + TMP_SUFFIX + "-*}";

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          // NaN stands for "not measured" in some results (a speedup without a baseline)
          .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .defaultPropertyInclusion(
              JsonInclude.Value.construct(
                  JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
          .build();

  private final Path dir;

  /**
   * @param dir the folder (created by {@link #open()})
   */
  public RunFolder(Path dir) {
    this.dir = dir;
  }

  /**
   * @return the JSON mapper of run files (indented, strict on reading)
   */
  public static ObjectMapper json() {
    return JSON;
  }

  /**
   * @return the folder
   */
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
   * Creates the folder and its parents, and removes temporary files a killed run left.
   *
   * @throws IOException if that fails
   */
  public void open() throws IOException {
    for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p) && !Files.isDirectory(p)) {
        throw new RunException(
            p + " is a file, not a folder; the run folder " + dir + " cannot be created there");
      }
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new RunException("cannot create the run folder " + dir + ": " + reason(e), e);
    }
    if (!Files.isWritable(dir)) {
      throw new RunException("cannot write in the run folder " + dir + " (permission denied)");
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, STALE_TEMPORARY)) {
      for (Path f : files) {
        Files.deleteIfExists(f);
      }
    }
  }

  /**
   * Deletes every file of an earlier run ({@code --fresh}).
   *
   * @throws IOException if a file cannot be deleted
   */
  public void clear() throws IOException {
    List<String> names = new java.util.ArrayList<>(List.of(CONFIG, METRICS, STATE, PROVENANCE));
    for (Stage s : Stage.values()) {
      names.add(s.checkpointFile());
      names.add(s.resumeFile());
    }
    for (String name : names) {
      Files.deleteIfExists(dir.resolve(name));
    }
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
   * Writes a file atomically: to a temporary file in the folder, forced to disk, then moved into
   * place.
   *
   * @param name the file name
   * @param content its content
   * @throws IOException if that fails
   */
  public void writeBytes(String name, byte[] content) throws IOException {
    // created like every other file of the folder (the process umask), unlike createTempFile's
    // owner-only permissions, so that all files of a run folder get the same permissions
    Path tmp =
        Files.createFile(
            dir.resolve(
                "."
                    + name
                    + "."
                    + ProcessHandle.current().pid()
                    + "-"
                    + Long.toHexString(System.nanoTime())
                    + TMP_SUFFIX));
    try {
      try (var ch =
          java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(content));
        ch.force(true);
      }
      Files.move(
          tmp,
          dir.resolve(name),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Writes a value as indented JSON, atomically.
   *
   * @param name the file name
   * @param value a record tree
   * @throws IOException if that fails
   */
  public void writeJson(String name, Object value) throws IOException {
    writeText(name, JSON.writeValueAsString(value) + "\n");
  }

  /**
   * @param name a JSON file in the folder
   * @param type the record it holds
   * @param absent what to return when the file does not exist
   * @param <T> the type
   * @return its content
   * @throws RunException naming the file if it is not a valid {@code type}
   */
  public <T> T readJson(String name, Class<T> type, T absent) {
    Path f = dir.resolve(name);
    if (!Files.exists(f)) {
      return absent;
    }
    try {
      T value = JSON.readValue(f.toFile(), type);
      if (value == null) {
        throw new RunException(f + " is empty; expected " + type.getSimpleName() + " JSON");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new RunException(
          f
              + " is not a valid "
              + name
              + " ("
              + firstLine(e.getOriginalMessage())
              + "); delete the folder or pass --fresh",
          e);
    } catch (IOException e) {
      throw new RunException(f + " cannot be read: " + e.getMessage(), e);
    }
  }

  /**
   * @return the metrics so far, {@link RunMetrics#EMPTY} when there are none
   */
  public RunMetrics readMetrics() {
    return readJson(METRICS, RunMetrics.class, RunMetrics.EMPTY);
  }

  /**
   * @return the state, {@link RunState#EMPTY} when there is none
   */
  public RunState readState() {
    return readJson(STATE, RunState.class, RunState.EMPTY);
  }

  /**
   * @param name a text file in the folder
   * @return its content, or {@code null} if it does not exist
   * @throws RunException naming the file if it cannot be read
   */
  public String readText(String name) {
    Path f = dir.resolve(name);
    try {
      return Files.exists(f) ? Files.readString(f) : null;
    } catch (IOException e) {
      throw new RunException(f + " cannot be read: " + e.getMessage(), e);
    }
  }

  /** An I/O error in words: "permission denied", "no space left on device", ... */
  private static String reason(IOException e) {
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
