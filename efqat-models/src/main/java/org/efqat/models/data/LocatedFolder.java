package org.efqat.models.data;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * A dataset folder {@link DatasetLocator} found, and how.
 *
 * @param folder the folder
 * @param origin how it was found, for messages: {@code data.dataset.path}, {@code $EFQAT_MNIST} or
 *     the standard folder's label
 */
public record LocatedFolder(Path folder, String origin) {
  /** Validates. */
  public LocatedFolder {
    requireNonNull(folder, "folder is null");
    requireNonNull(origin, "origin is null");
  }
}
