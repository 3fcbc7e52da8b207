package org.efqat.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.efqat.core.registry.NamedRegistry;

/**
 * Builds one of the example plugin projects under {@code examples/} into a jar of its own with the
 * JDK compiler, against only the framework jars it declares, as a plugin author's build would; and
 * loads it on a class path of its own, as a user dropping it into {@code plugins/} would.
 */
final class ExamplePluginJar {
  private ExamplePluginJar() {}

  /**
   * @param example the project folder, e.g. {@code ../examples/sticky-freeze-policy}
   * @param work a scratch folder
   * @param compileAgainst a class from each framework jar the plugin compiles against
   * @return the jar
   */
  static Path build(Path example, Path work, Class<?>... compileAgainst) throws IOException {
    Path classes = Files.createDirectories(work.resolve("classes"));
    String classPath =
        Stream.of(compileAgainst)
            .map(NamedRegistry::locationOf)
            .distinct()
            .collect(Collectors.joining(java.io.File.pathSeparator));
    List<String> args =
        new ArrayList<>(List.of("--release", "17", "-d", classes.toString(), "-cp", classPath));
    try (Stream<Path> sources = Files.walk(example.resolve("src/main/java"))) {
      sources.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertThat(javac.run(null, null, null, args.toArray(new String[0])))
        .as("javac exit code for %s", args)
        .isZero();
    Path jar = work.resolve(example.getFileName() + ".jar");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream jos = new JarOutputStream(out)) {
      add(jos, classes);
      add(jos, example.resolve("src/main/resources"));
    }
    return jar;
  }

  /**
   * @param jar a plugin jar
   * @return a class loader that sees it and, through its parent, the framework
   */
  static URLClassLoader loader(Path jar) throws IOException {
    return new URLClassLoader(
        new URL[] {jar.toUri().toURL()}, ExamplePluginJar.class.getClassLoader());
  }

  private static void add(JarOutputStream jos, Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        jos.putNextEntry(new JarEntry(root.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, jos);
        jos.closeEntry();
      }
    }
  }
}
