package org.efqat.models.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Opening data files: gzip recognised by its magic bytes, errors as one line naming the file. */
final class DataStreams {
  private static final int BUFFER = 1 << 16;

  private DataStreams() {}

  /** Opens a file; a missing or unreadable file is a {@link DatasetException} naming it. */
  static InputStream open(Path file) throws DatasetException {
    try {
      return Files.newInputStream(file);
    } catch (NoSuchFileException e) {
      throw new DatasetException(file + ": no such file", e);
    } catch (IOException e) {
      throw new DatasetException(file + ": cannot be read: " + e, e);
    }
  }

  /**
   * Wraps {@code in} in a decompressor if it starts with the gzip magic bytes {@code 1f 8b},
   * otherwise returns it buffered; the file name plays no part.
   */
  static InputStream maybeGunzip(InputStream in, String source) throws DatasetException {
    BufferedInputStream buffered = new BufferedInputStream(in, BUFFER);
    try {
      buffered.mark(2);
      byte[] magic = buffered.readNBytes(2);
      buffered.reset();
      if (magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
        return new GZIPInputStream(buffered, BUFFER);
      }
      return buffered;
    } catch (IOException e) {
      throw failure(source, e);
    }
  }

  /** Reads up to {@code n} bytes (fewer only at the end of the stream). */
  static byte[] readUpTo(InputStream in, int n, String source) throws DatasetException {
    try {
      return in.readNBytes(n);
    } catch (IOException e) {
      throw failure(source, e);
    }
  }

  /**
   * @return whether the stream has at least one more byte
   */
  static boolean hasMore(InputStream in, String source) throws DatasetException {
    try {
      return in.read() >= 0;
    } catch (IOException e) {
      throw failure(source, e);
    }
  }

  /** Reads the rest of the stream. */
  static byte[] readAll(InputStream in, String source) throws DatasetException {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      throw failure(source, e);
    }
  }

  /** An I/O failure while reading, as one line naming the source. */
  static DatasetException failure(String source, IOException e) {
    if (e instanceof DatasetException de) {
      return de;
    }
    if (e instanceof EOFException) {
      return new DatasetException(source + ": truncated gzip data (" + e.getMessage() + ")", e);
    }
    if (e instanceof ZipException) {
      return new DatasetException(source + ": corrupt gzip data (" + e.getMessage() + ")", e);
    }
    return new DatasetException(source + ": read failed: " + e, e);
  }

  /** Opens a file and decompresses it if it is gzip; closing the result closes the file. */
  static InputStream openMaybeGunzip(Path file) throws DatasetException {
    InputStream raw = open(file);
    try {
      return maybeGunzip(raw, file.toString());
    } catch (DatasetException e) {
      try {
        raw.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }
}
