package org.efqat.models.data;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * Where {@link DatasetLocator} looks for a dataset's folder when the experiment names none: an
 * environment variable, then optionally a standard folder (such as a Linux package's).
 *
 * @param dataset the dataset's name, for messages
 * @param variable the environment variable naming the folder, for example {@code EFQAT_MNIST}
 * @param standardFolder the folder tried last, or {@code null} for none
 * @param standardFolderLabel how messages call {@code standardFolder}, for example {@code the
 *     Debian package folder}; {@code null} when there is none
 * @param howToGet the end of the not-found message: how to get the data
 */
public record FolderSearch(
    String dataset,
    String variable,
    Path standardFolder,
    String standardFolderLabel,
    String howToGet) {
  /** Validates. */
  public FolderSearch {
    requireNonNull(dataset, "dataset is null");
    requireNonNull(variable, "variable is null");
    requireNonNull(howToGet, "howToGet is null");
    if ((standardFolder == null) != (standardFolderLabel == null)) {
      throw new IllegalArgumentException(
          "standardFolder and standardFolderLabel must both be given or both be null");
    }
  }

  /**
   * @param dataset the dataset's name
   * @param variable the environment variable
   * @param howToGet how to get the data
   * @return a search of the environment variable only
   */
  public static FolderSearch of(String dataset, String variable, String howToGet) {
    return new FolderSearch(dataset, variable, null, null, howToGet);
  }

  /**
   * @param folder the folder to try last
   * @param label how messages call it
   * @return this search with a standard folder
   */
  public FolderSearch withStandardFolder(Path folder, String label) {
    return new FolderSearch(
        dataset,
        variable,
        requireNonNull(folder, "folder is null"),
        requireNonNull(label, "label is null"),
        howToGet);
  }
}
