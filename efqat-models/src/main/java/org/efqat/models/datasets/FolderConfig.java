package org.efqat.models.datasets;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.efqat.api.spi.ConfigValueException;

/**
 * Options of a dataset read from a folder.
 *
 * @param path the folder holding the files; default none: the dataset's environment variable, then
 *     its standard folder if it has one (see each provider)
 */
public record FolderConfig(String path) {
  /** Validates. */
  public FolderConfig {
    if (path != null) {
      if (path.isBlank()) {
        throw new ConfigValueException("path", "must not be blank");
      }
      try {
        Path unused = Path.of(path); // only checks the syntax
      } catch (InvalidPathException e) {
        throw new ConfigValueException("path", "is not a valid path (was " + path + ")");
      }
    }
  }

  /**
   * @return {@link #path()} as a path, or {@code null} when not given
   */
  public Path folder() {
    return path == null ? null : Path.of(path);
  }
}
