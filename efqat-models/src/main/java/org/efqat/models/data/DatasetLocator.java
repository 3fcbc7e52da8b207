package org.efqat.models.data;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Finds a dataset's folder: the path the experiment gives ({@value #PATH_KEY}), else the folder
 * named by the dataset's environment variable, else its standard folder if it has one ({@link
 * FolderSearch}).
 *
 * <p>The places are tried in that order and the first that exists as a folder is used; whether it
 * holds the right files is for the caller to check, with an error naming the folder (no further
 * fallback). If no place exists, the error lists every place tried and how to get the data.
 *
 * <p>The environment is a function given to the constructor, never read statically, so tests inject
 * their own.
 */
public final class DatasetLocator {
  /** The YAML key of a dataset's folder, as messages name it. */
  public static final String PATH_KEY = "data.dataset.path";

  private final Function<String, String> env;

  /**
   * @param env the environment, for example {@code System::getenv}; returns {@code null} for an
   *     unset variable
   */
  public DatasetLocator(Function<String, String> env) {
    this.env = requireNonNull(env, "env is null");
  }

  /**
   * @return a locator over the process environment
   */
  public static DatasetLocator system() {
    return new DatasetLocator(System::getenv);
  }

  /**
   * Finds the folder. A place that is named is never skipped: a {@code path} that is missing, empty
   * or a regular file is an error naming it, even when the environment or the standard folder holds
   * the data, and so is a set environment variable that does not name a folder with files. Only
   * when neither is given is the standard folder (if the dataset has one) used.
   *
   * @param search the dataset's environment variable and standard folder
   * @param path the experiment's folder ({@value #PATH_KEY}), or {@code null}
   * @return the folder and where it came from
   * @throws DatasetException naming the place and why it cannot be used, or, when nothing was named
   *     and there is no standard folder, listing what was tried and how to get the data
   */
  public LocatedFolder locate(FolderSearch search, Path path) throws DatasetException {
    requireNonNull(search, "search is null");
    if (path != null) {
      return named(search, path, PATH_KEY + " " + path);
    }
    String variable = search.variable();
    String value = env.apply(variable);
    if (value != null && !value.isBlank()) {
      Path fromEnv;
      try {
        fromEnv = Path.of(value);
      } catch (InvalidPathException e) {
        throw new DatasetException(
            search.dataset()
                + ": $"
                + variable
                + "="
                + value
                + " is not a valid path; "
                + search.howToGet());
      }
      return named(search, fromEnv, "$" + variable + "=" + value);
    }
    List<String> tried = new ArrayList<>();
    tried.add(PATH_KEY + " (not given)");
    tried.add("$" + variable + " (not set)");
    Path standard = search.standardFolder();
    if (standard != null) {
      if (Files.isDirectory(standard)) {
        return new LocatedFolder(standard, search.standardFolderLabel());
      }
      tried.add(search.standardFolderLabel() + " " + standard + " (" + missing(standard) + ")");
    }
    throw new DatasetException(
        search.dataset()
            + " not found: tried "
            + String.join(", ", tried)
            + "; "
            + search.howToGet());
  }

  /** A place the user named: it must be a folder with something in it. */
  private static LocatedFolder named(FolderSearch search, Path folder, String label)
      throws DatasetException {
    String source = label.startsWith("$") ? label.substring(0, label.indexOf('=')) : PATH_KEY;
    if (!Files.isDirectory(folder)) {
      throw new DatasetException(
          search.dataset()
              + ": "
              + label
              + " is "
              + (Files.exists(folder) ? "a file, not a folder" : "missing (no such folder)")
              + "; nothing else is tried when a"
              + " folder is named; "
              + search.howToGet());
    }
    boolean empty;
    try (var entries = Files.list(folder)) {
      empty = entries.findAny().isEmpty();
    } catch (IOException e) {
      throw new DatasetException(
          search.dataset() + ": " + label + " cannot be read (" + e.getMessage() + ")", e);
    }
    if (empty) {
      throw new DatasetException(
          search.dataset() + ": " + label + " is an empty folder; " + search.howToGet());
    }
    return new LocatedFolder(folder, source);
  }

  private static String missing(Path p) {
    return Files.exists(p) ? "not a folder" : "no such folder";
  }
}
