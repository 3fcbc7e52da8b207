package org.efqat.experiments;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.efqat.core.config.ConfigError;
import org.efqat.core.config.ExperimentLoader;
import org.efqat.core.config.ExperimentValidationException;
import org.efqat.core.config.ResolvedExperiment;
import org.efqat.core.registry.ComponentRegistry;
import org.efqat.experiments.run.ExperimentRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code efqat run FILE}: pretrain → PTQ → EfQAT, resumable, with a summary at the end. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run an experiment: pretrain (or load a checkpoint), PTQ, EfQAT.")
final class RunCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "The experiment file.")
  Path file;

  @Option(names = "--output", description = "Overrides the file's 'output' folder.")
  Path output;

  @Option(names = "--fresh", description = "Discard an earlier run with the same name.")
  boolean fresh;

  @Option(names = "--until", description = "Stop after this stage: ${COMPLETION-CANDIDATES}.")
  ExperimentRunner.Stage until = ExperimentRunner.Stage.EFQAT;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ComponentRegistry registry = ComponentRegistry.loadDefault();
    ResolvedExperiment experiment;
    try {
      experiment = new ExperimentLoader(registry).load(file);
    } catch (ExperimentValidationException e) {
      for (ConfigError error : e.errors()) {
        spec.commandLine().getErr().println(error);
      }
      return EfqatCli.EXIT_INVALID;
    }
    new ExperimentRunner(registry, spec.commandLine().getOut()).run(experiment,
        new ExperimentRunner.Options(output, fresh, until, EfqatCli.terminal()));
    return 0;
  }
}
