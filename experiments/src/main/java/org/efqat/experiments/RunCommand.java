package org.efqat.experiments;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.efqat.core.config.ConfigError;
import org.efqat.core.config.ExperimentLoader;
import org.efqat.core.config.ExperimentValidationException;
import org.efqat.core.config.ResolvedExperiment;
import org.efqat.core.registry.ComponentRegistry;
import org.efqat.core.session.ExperimentSession;
import org.efqat.core.session.RunFolder;
import org.efqat.core.session.RunInterruptedException;
import org.efqat.core.session.RunResult;
import org.efqat.core.session.SessionOptions;
import org.efqat.core.session.Sessions;
import org.efqat.core.session.Stage;
import org.efqat.experiments.run.ConsoleSessionListener;
import org.efqat.experiments.run.StopSignal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code efqat run FILE}: pretrain → PTQ → EfQAT, resumable, with a summary at the end. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run an experiment: pretrain (or load a checkpoint), PTQ, EfQAT.",
      "Running it again continues where it stopped: completed stages are kept, an interrupted"
          + " training stage continues from its last checkpoint (checkpointEvery; also written"
          + " on Ctrl-C or SIGTERM) with the same results as an uninterrupted run."
    })
final class RunCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "The experiment file.")
  Path file;

  @Option(names = "--output", description = "Overrides the file's 'output' folder.")
  Path output;

  @Option(names = "--fresh", description = "Discard an earlier run with the same name.")
  boolean fresh;

  @Option(names = "--until", description = "Stop after this stage: ${COMPLETION-CANDIDATES}.")
  Stage until = Stage.EFQAT;

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
    ConsoleSessionListener console =
        new ConsoleSessionListener(spec.commandLine().getOut(), EfqatCli.terminal());
    try (StopSignal signal = new StopSignal();
        ExperimentSession session =
            Sessions.open(
                registry, experiment, new SessionOptions(output, fresh, until, signal), console)) {
      RunResult result = session.run();
      console.summary(result.metrics(), result.folder().resolve(RunFolder.METRICS));
    } catch (RunInterruptedException e) {
      spec.commandLine().getErr().println("efqat: " + e.getMessage());
      return e.exitCode();
    }
    return 0;
  }
}
