package org.efqat.core.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.efqat.api.backend.Backend;
import org.efqat.core.data.InputFile;
import org.efqat.core.registry.ComponentInfo;
import org.efqat.core.registry.ComponentRegistry;

/**
 * A run's {@code provenance.json}: what is needed to re-run it and to trust its numbers.
 *
 * @param efqatVersion the efqat-core jar's version, or {@code development build}
 * @param gitCommit the commit of the enclosing checkout, or {@code unknown}
 * @param experimentFile the experiment file as given
 * @param seed the run's seed
 * @param backend the backend
 * @param java the JVM
 * @param os the operating system and architecture
 * @param cpus available processors
 * @param startedAt when this process started the run (ISO-8601)
 * @param components every registered component with its class and jar
 * @param inputs the files read, with sizes and hashes
 */
public record Provenance(
    String efqatVersion,
    String gitCommit,
    String experimentFile,
    long seed,
    BackendInfo backend,
    String java,
    String os,
    int cpus,
    String startedAt,
    List<Component> components,
    List<InputFile> inputs) {

  /**
   * @param name registered name
   * @param version its version
   * @param device where it computes
   */
  public record BackendInfo(String name, String version, String device) {}

  /**
   * @param kind the component kind
   * @param name registered name
   * @param className the provider class
   * @param jar the jar or class folder it came from
   */
  public record Component(String kind, String name, String className, String jar) {}

  /**
   * @param source the experiment file
   * @param seed the seed
   * @param backend the backend
   * @param registry every registered component
   * @param inputs the files read
   * @return the provenance of a run starting now
   */
  public static Provenance of(
      String source,
      long seed,
      Backend backend,
      ComponentRegistry registry,
      List<InputFile> inputs) {
    String version = Provenance.class.getPackage().getImplementationVersion();
    List<Component> components = new ArrayList<>();
    for (ComponentInfo i : registry.infos()) {
      components.add(new Component(i.kind().label(), i.name(), i.className(), i.location()));
    }
    return new Provenance(
        version == null ? "development build" : version,
        gitCommit(Path.of("").toAbsolutePath()),
        source,
        seed,
        new BackendInfo(backend.name(), backend.version(), backend.device()),
        System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"),
        Runtime.getRuntime().availableProcessors(),
        Instant.now().toString(),
        components,
        inputs);
  }

  /**
   * @param start a folder
   * @return the commit of the git checkout enclosing it, read from {@code .git} without running git
   */
  static String gitCommit(Path start) {
    for (Path d = start; d != null; d = d.getParent()) {
      Path head = d.resolve(".git/HEAD");
      if (Files.isRegularFile(head)) {
        try {
          String h = Files.readString(head).trim();
          if (h.startsWith("ref: ")) {
            Path ref = d.resolve(".git").resolve(h.substring(5));
            return Files.isRegularFile(ref) ? Files.readString(ref).trim() : h;
          }
          return h;
        } catch (IOException e) {
          return "unreadable: " + e.getMessage();
        }
      }
    }
    return "unknown";
  }
}
