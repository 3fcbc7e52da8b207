package org.efqat.experiments;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.efqat.core.config.ConfigError;
import org.efqat.core.config.ExperimentLoader;
import org.efqat.core.config.ExperimentValidationException;
import org.efqat.core.config.ResolvedExperiment;
import org.efqat.core.registry.ComponentRegistry;
import org.efqat.core.session.RunInterruptedException;
import org.efqat.experiments.compare.BackendComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code efqat compare FILE --backends nd4j,tf}: one experiment on several backends. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
      "Run one experiment on several backends with the same seed, data order and"
          + " initial weights, and print accuracies, step times and how closely the logits agree.",
      "Writes <output>/<name>-compare/{compare.json,compare.md,losses.png}; each backend's run"
          + " folder is resumable."
    })
final class CompareCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "The experiment file.")
  Path file;

  @Option(
      names = "--backends",
      split = ",",
      required = true,
      paramLabel = "NAME[,NAME...]",
      description =
          "Backends to compare; the first is the reference. name or"
              + " name:key=value[;key=value...] for backend options, e.g."
              + " nd4j,tf,tf:kernels=device.")
  List<String> backends;

  @Option(names = "--output", description = "Overrides the file's 'output' folder.")
  Path output;

  @Option(names = "--fresh", description = "Discard earlier runs of these backends.")
  boolean fresh;

  @Option(
      names = "--tolerance",
      defaultValue = "1e-4",
      description = "Relative tolerance of the logit comparison (default: ${DEFAULT-VALUE}).")
  double tolerance;

  @Option(
      names = "--probe-samples",
      defaultValue = "32",
      description = "Test images the logits are compared on (default: ${DEFAULT-VALUE}).")
  int probeSamples;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!(tolerance > 0) || probeSamples < 1) {
      spec.commandLine()
          .getErr()
          .println(
              "efqat compare: --tolerance must be > 0 and"
                  + " --probe-samples >= 1 (were "
                  + tolerance
                  + ", "
                  + probeSamples
                  + ")");
      return EfqatCli.EXIT_INVALID;
    }
    ComponentRegistry registry = ComponentRegistry.loadDefault();
    try {
      ResolvedExperiment experiment = new ExperimentLoader(registry).load(file);
      new BackendComparison(registry, spec.commandLine().getOut())
          .run(
              experiment,
              backends,
              new BackendComparison.Options(
                  output, fresh, tolerance, probeSamples, EfqatCli.terminal()));
    } catch (ExperimentValidationException e) {
      for (ConfigError error : e.errors()) {
        spec.commandLine().getErr().println(error);
      }
      return EfqatCli.EXIT_INVALID;
    } catch (RunInterruptedException e) {
      spec.commandLine().getErr().println("efqat: " + e.getMessage());
      return e.exitCode();
    }
    return 0;
  }
}
