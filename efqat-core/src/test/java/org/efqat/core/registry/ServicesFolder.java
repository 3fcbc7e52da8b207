package org.efqat.core.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a {@code META-INF/services} file into a folder and loads it on top of the test loader. */
final class ServicesFolder {
  private ServicesFolder() {}

  static URLClassLoader loaderWith(Path dir, Class<?> service, String... implementations) {
    try {
      Path file = dir.resolve("META-INF/services/" + service.getName());
      Files.createDirectories(file.getParent());
      Files.writeString(file, String.join("\n", implementations) + "\n");
      return new URLClassLoader(
          new URL[] {dir.toUri().toURL()}, ServicesFolder.class.getClassLoader());
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
