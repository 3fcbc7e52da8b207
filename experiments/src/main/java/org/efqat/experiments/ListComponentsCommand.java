package org.efqat.experiments;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.efqat.api.backend.Availability;
import org.efqat.api.backend.BackendProvider;
import org.efqat.core.registry.BrokenEntry;
import org.efqat.core.registry.ComponentInfo;
import org.efqat.core.registry.ComponentKind;
import org.efqat.core.registry.ComponentRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code efqat list-components}: every registered component with its class and jar, then every
 * plugin entry that could not be registered (name {@code BROKEN}, with the problem).
 */
@Command(
    name = "list-components",
    mixinStandardHelpOptions = true,
    description = "List every registered component (kind, name, class, jar).")
final class ListComponentsCommand implements Callable<Integer> {
  @Option(names = "--kind", description = "Only this kind: ${COMPLETION-CANDIDATES}.")
  ComponentKind kind;

  @Option(
      names = "--probe",
      description = "Load each backend's native library and report whether it can run here.")
  boolean probe;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ComponentRegistry registry = ComponentRegistry.loadDefault();
    PrintWriter out = spec.commandLine().getOut();
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"KIND", "NAME", "CLASS", "JAR", "DESCRIPTION"});
    for (ComponentInfo info : registry.infos()) {
      if (kind != null && info.kind() != kind) {
        continue;
      }
      String description = info.description();
      if (probe && info.kind() == ComponentKind.BACKEND) {
        Availability a = ((BackendProvider<?>) registry.backends().get(info.name())).probe();
        description = (a.ok() ? "[available] " : "[UNAVAILABLE] ") + a.reason();
      }
      rows.add(
          new String[] {
            info.kind().label(),
            info.name(),
            info.className(),
            shorten(info.location()),
            description
          });
    }
    for (BrokenEntry broken : registry.broken()) {
      if (kind != null && broken.kind() != null && broken.kind() != kind) {
        continue;
      }
      rows.add(
          new String[] {
            broken.kind() == null ? "?" : broken.kind().label(),
            "BROKEN",
            broken.entry().isEmpty() ? "-" : broken.entry(),
            shorten(broken.location()),
            broken.problem()
          });
    }
    printTable(out, rows);
    out.flush();
    return 0;
  }

  /** Paths under the working directory are printed relative to it. */
  private static String shorten(String location) {
    String cwd = System.getProperty("user.dir") + "/";
    return location.startsWith(cwd) ? location.substring(cwd.length()) : location;
  }

  static void printTable(PrintWriter out, List<String[]> rows) {
    int cols = rows.get(0).length;
    int[] width = new int[cols];
    for (String[] r : rows) {
      for (int c = 0; c < cols - 1; c++) {
        width[c] = Math.max(width[c], r[c].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder sb = new StringBuilder();
      for (int c = 0; c < cols; c++) {
        sb.append(c == cols - 1 ? r[c] : String.format("%-" + width[c] + "s  ", r[c]));
      }
      out.println(sb.toString().stripTrailing());
    }
  }
}
