package org.efqat.models.data;

import static java.util.Objects.requireNonNull;

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
   * Finds the folder.
   *
   * @param search where to look when {@code path} is {@code null} or missing
   * @param path the experiment's folder, or {@code null}
   * @return the first place that is a folder
   * @throws DatasetException if none is; the one-line message lists every place tried
   */
  public LocatedFolder locate(FolderSearch search, Path path) throws DatasetException {
    requireNonNull(search, "search is null");
    List<String> tried = new ArrayList<>();
    if (path == null) {
      tried.add(PATH_KEY + " (not given)");
    } else if (Files.isDirectory(path)) {
      return new LocatedFolder(path, PATH_KEY);
    } else {
      tried.add(PATH_KEY + " " + path + " (" + missing(path) + ")");
    }
    String variable = search.variable();
    String value = env.apply(variable);
    if (value == null || value.isBlank()) {
      tried.add("$" + variable + " (not set)");
    } else {
      Path fromEnv = null;
      try {
        fromEnv = Path.of(value);
      } catch (InvalidPathException e) {
        tried.add("$" + variable + "=" + value + " (not a valid path)");
      }
      if (fromEnv != null) {
        if (Files.isDirectory(fromEnv)) {
          return new LocatedFolder(fromEnv, "$" + variable);
        }
        tried.add("$" + variable + "=" + value + " (" + missing(fromEnv) + ")");
      }
    }
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

  private static String missing(Path p) {
    return Files.exists(p) ? "not a folder" : "no such folder";
  }
}
