package org.efqat.experiments;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.efqat.core.config.ConfigError;
import org.efqat.core.config.ExperimentLoader;
import org.efqat.core.config.ExperimentValidationException;
import org.efqat.core.config.ResolvedExperiment;
import org.efqat.core.registry.ComponentRegistry;
import org.efqat.core.sweep.Sweep;
import org.efqat.core.sweep.SweepPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code efqat validate FILE...}: parses and validates experiment files without running them; a
 * file with a {@code sweep:} section is expanded and every point validated. Exit 0 when all are
 * valid, 2 otherwise, with one line per error on standard error.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = "Parse and validate experiment files (a folder means every *.yaml in it).")
final class ValidateCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Experiment files or folders.")
  List<Path> files;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ComponentRegistry registry = ComponentRegistry.loadDefault();
    ExperimentLoader loader = new ExperimentLoader(registry);
    int invalid = 0;
    List<Path> all = expand(files);
    for (Path file : all) {
      try {
        if (loader.isSweep(file)) {
          Sweep sweep = SweepPlan.expand(loader.loadSweep(file), loader, registry);
          out.printf(
              "ok       %s  (sweep %s: %d points, each valid)%n",
              file, sweep.base().config().name(), sweep.points().size());
          continue;
        }
        ResolvedExperiment e = loader.load(file);
        out.printf(
            "ok       %s  (%s: backend %s, freeze %s %s)%n",
            file,
            e.config().name(),
            e.backend().provider().name(),
            e.freeze().provider().name(),
            e.freeze().toSpec().options());
      } catch (ExperimentValidationException e) {
        invalid++;
        out.printf(
            "INVALID  %s  (%d error%s)%n",
            file, e.errors().size(), e.errors().size() == 1 ? "" : "s");
        for (ConfigError error : e.errors()) {
          err.println(error);
        }
      }
    }
    out.printf("%d file%s checked, %d invalid%n", all.size(), all.size() == 1 ? "" : "s", invalid);
    out.flush();
    err.flush();
    return invalid == 0 ? 0 : EfqatCli.EXIT_INVALID;
  }

  private static List<Path> expand(List<Path> paths) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.list(p)) {
          s.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
              .sorted()
              .forEach(out::add);
        }
      } else {
        out.add(p);
      }
    }
    return out;
  }
}
