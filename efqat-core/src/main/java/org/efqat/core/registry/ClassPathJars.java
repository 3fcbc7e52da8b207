package org.efqat.core.registry;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipFile;

/**
 * Finds class path jars that cannot be read. The JDK's class loaders skip such a jar silently, so
 * the components it holds would just be missing; this names it instead.
 */
final class ClassPathJars {
  private ClassPathJars() {}

  /**
   * @param loader a class loader; its {@link URLClassLoader} URLs and, for the system class loader,
   *     {@code java.class.path} are checked, up the parent chain
   * @return one entry per jar file that exists but is not a readable zip
   */
  static List<BrokenEntry> unreadable(ClassLoader loader) {
    Set<Path> files = new LinkedHashSet<>();
    ClassLoader system = ClassLoader.getSystemClassLoader();
    for (ClassLoader l = loader; l != null; l = l.getParent()) {
      if (l instanceof URLClassLoader u) {
        for (URL url : u.getURLs()) {
          if ("file".equals(url.getProtocol())) {
            try {
              files.add(Path.of(url.toURI()));
            } catch (URISyntaxException | IllegalArgumentException e) {
              // Not a local file: nothing to check.
            }
          }
        }
      }
      if (l == system) {
        for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator, -1)) {
          try {
            if (!e.isEmpty()) {
              files.add(Path.of(e));
            }
          } catch (InvalidPathException ignored) {
            // The JDK skips it too.
          }
        }
      }
    }
    List<BrokenEntry> out = new ArrayList<>();
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        continue;
      }
      try {
        new ZipFile(file.toFile()).close();
      } catch (IOException e) {
        out.add(
            new BrokenEntry(
                null,
                file.toString(),
                "",
                "is on the class path but cannot be read as a jar ("
                    + e.getMessage()
                    + "); any components it holds are missing"));
      }
    }
    return out;
  }
}
