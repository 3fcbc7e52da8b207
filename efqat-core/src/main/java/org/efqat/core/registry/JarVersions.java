package org.efqat.core.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Manifest;

/**
 * Reports the Implementation-Version of every efqat jar visible from a class loader, to diagnose a
 * class path that mixes versions (after JUnit's ClasspathAlignmentChecker).
 */
final class JarVersions {
  private JarVersions() {}

  static String describe(ClassLoader loader) {
    List<String> found = new ArrayList<>();
    try {
      Enumeration<URL> manifests = loader.getResources("META-INF/MANIFEST.MF");
      while (manifests.hasMoreElements()) {
        URL url = manifests.nextElement();
        try (InputStream in = url.openStream()) {
          var attrs = new Manifest(in).getMainAttributes();
          String title = attrs.getValue("Implementation-Title");
          if (title != null && title.startsWith("efqat")) {
            found.add(title + " " + attrs.getValue("Implementation-Version"));
          }
        }
      }
    } catch (IOException e) {
      return "efqat jar versions unreadable: " + e.getMessage();
    }
    return found.isEmpty() ? "no efqat jar manifests found" : "efqat jars: " + found;
  }
}
