package org.efqat.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A file a run read (a dataset file, a checkpoint), identified by content.
 *
 * @param name where it came from: a path, or {@code classpath:<resource>} for bundled data
 * @param bytes its size in bytes
 * @param sha256 the SHA-256 of its bytes, lower-case hex
 */
public record InputFile(String name, long bytes, String sha256) {
  /** Validates. */
  public InputFile {
    Objects.requireNonNull(name, "name is null");
    Objects.requireNonNull(sha256, "sha256 is null");
  }

  /**
   * @param file a file
   * @return its size and hash
   * @throws IOException if it cannot be read
   */
  public static InputFile of(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return of(file.toAbsolutePath().normalize().toString(), in);
    }
  }

  /**
   * @param name what to call the source
   * @param in its bytes, read to the end (not closed)
   * @return its size and hash
   * @throws IOException if it cannot be read
   */
  public static InputFile of(String name, InputStream in) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    byte[] buffer = new byte[1 << 16];
    long size = 0;
    for (int n; (n = in.read(buffer)) > 0; ) {
      sha.update(buffer, 0, n);
      size += n;
    }
    return new InputFile(name, size, HexFormat.of().formatHex(sha.digest()));
  }
}
