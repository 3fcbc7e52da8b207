package org.efqat.core.registry;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/** Writes plugin jars that hold only a services file, for classes on the test class path. */
final class PluginJars {
  private PluginJars() {}

  static Path jar(Path file, Class<?> service, String... implementations) {
    try {
      Files.createDirectories(file.getParent());
      try (OutputStream out = Files.newOutputStream(file);
          JarOutputStream jar = new JarOutputStream(out)) {
        jar.putNextEntry(new JarEntry("META-INF/services/" + service.getName()));
        jar.write((String.join("\n", implementations) + "\n").getBytes(StandardCharsets.UTF_8));
        jar.closeEntry();
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static URLClassLoader loaderWith(Path... entries) {
    URL[] urls = new URL[entries.length];
    try {
      for (int i = 0; i < entries.length; i++) {
        urls[i] = entries[i].toUri().toURL();
      }
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
    return new URLClassLoader(urls, PluginJars.class.getClassLoader());
  }
}
