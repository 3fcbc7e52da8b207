package org.efqat.experiments.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.efqat.api.backend.Backend;
import org.efqat.core.registry.ComponentInfo;
import org.efqat.core.registry.ComponentRegistry;

/** What a run's {@code provenance.json} records so that any result can be re-run. */
final class Provenance {
  private Provenance() {}

  static Map<String, Object> of(String source, long seed, Backend backend,
      ComponentRegistry registry) {
    Map<String, Object> p = new LinkedHashMap<>();
    String version = Provenance.class.getPackage().getImplementationVersion();
    p.put("efqatVersion", version == null ? "development build" : version);
    p.put("gitCommit", gitCommit(Path.of("").toAbsolutePath()));
    p.put("experimentFile", source);
    p.put("seed", seed);
    p.put("backend", Map.of("name", backend.name(), "version", backend.version(),
        "device", backend.device()));
    p.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor")
        + ")");
    p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch"));
    p.put("cpus", Runtime.getRuntime().availableProcessors());
    p.put("startedAt", Instant.now().toString());
    List<Map<String, String>> components = new ArrayList<>();
    for (ComponentInfo i : registry.infos()) {
      components.add(Map.of("kind", i.kind().label(), "name", i.name(), "class", i.className(),
          "jar", i.location()));
    }
    p.put("components", components);
    return p;
  }

  /** The commit of the enclosing git checkout, read from .git without running git. */
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
