package org.efqat.core.registry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.JarURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads every {@code META-INF/services/<service type>} file a class loader sees, in class path
 * order, remembering which jar or folder lists each provider class.
 */
final class ServicesFiles {
  private ServicesFiles() {}

  /**
   * @param kind the kind whose service type names the files
   * @param loader the class loader
   * @param broken receives a files that cannot be read and lines that are not class names
   * @return each listed class name with the locations that list it, in class path order
   */
  static Map<String, List<String>> read(
      ComponentKind kind, ClassLoader loader, List<BrokenEntry> broken) {
    String resource = "META-INF/services/" + kind.serviceType().getName();
    Map<String, List<String>> listedBy = new LinkedHashMap<>();
    Enumeration<URL> files;
    try {
      files = loader.getResources(resource);
    } catch (IOException e) {
      broken.add(
          new BrokenEntry(kind, "the class path", "", "cannot be searched: " + e.getMessage()));
      return listedBy;
    }
    Set<String> seen = new LinkedHashSet<>();
    while (files.hasMoreElements()) {
      URL url = files.nextElement();
      if (!seen.add(url.toString())) {
        continue; // the very same file twice is one listing
      }
      String location = locationOf(url, resource);
      for (String line : lines(url, kind, location, broken)) {
        if (!isClassName(line)) {
          broken.add(new BrokenEntry(kind, location, line, "is not a class name"));
          continue;
        }
        List<String> where = listedBy.computeIfAbsent(line, k -> new ArrayList<>());
        if (!where.contains(location)) {
          where.add(location);
        }
      }
    }
    return listedBy;
  }

  private static List<String> lines(
      URL url, ComponentKind kind, String location, List<BrokenEntry> broken) {
    List<String> out = new ArrayList<>();
    try {
      var connection = url.openConnection();
      if (connection instanceof JarURLConnection jar) {
        jar.setUseCaches(false); // a jar replaced on disk is read afresh
      }
      try (BufferedReader r =
          new BufferedReader(
              new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          int hash = line.indexOf('#');
          String entry = (hash < 0 ? line : line.substring(0, hash)).strip();
          if (!entry.isEmpty()) {
            out.add(entry);
          }
        }
      }
    } catch (IOException e) {
      broken.add(
          new BrokenEntry(
              kind, location, "", "its services file cannot be read: " + e.getMessage()));
    }
    return out;
  }

  private static boolean isClassName(String s) {
    for (String part : s.split("\\.", -1)) {
      if (part.isEmpty() || !Character.isJavaIdentifierStart(part.codePointAt(0))) {
        return false;
      }
      if (!part.codePoints().allMatch(Character::isJavaIdentifierPart)) {
        return false;
      }
    }
    return true;
  }

  /**
   * @return the jar ({@code jar:file:/a/x.jar!/META-INF/...}) or the class folder ({@code
   *     file:/a/classes/META-INF/...}) a services file is in, as a file path
   */
  static String locationOf(URL url, String resource) {
    String s = url.toString();
    try {
      if ("jar".equals(url.getProtocol())) {
        int bang = s.indexOf("!/");
        String jar = s.substring("jar:".length(), bang < 0 ? s.length() : bang);
        return Path.of(URI.create(jar)).toString();
      }
      if ("file".equals(url.getProtocol())) {
        String path = Path.of(url.toURI()).toString();
        String suffix = "/" + resource;
        return path.endsWith(suffix) ? path.substring(0, path.length() - suffix.length()) : path;
      }
    } catch (URISyntaxException
        | IllegalArgumentException
        | java.nio.file.FileSystemNotFoundException e) {
      // Fall through: the URL itself.
    }
    return s;
  }
}
