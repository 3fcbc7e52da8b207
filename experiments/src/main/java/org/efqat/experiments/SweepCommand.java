package org.efqat.experiments;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.efqat.core.config.ConfigError;
import org.efqat.core.config.ExperimentLoader;
import org.efqat.core.config.ExperimentValidationException;
import org.efqat.core.registry.ComponentRegistry;
import org.efqat.core.session.RunInterruptedException;
import org.efqat.core.session.Stage;
import org.efqat.core.sweep.PointStatus;
import org.efqat.core.sweep.Sweep;
import org.efqat.core.sweep.SweepPlan;
import org.efqat.core.sweep.SweepPoint;
import org.efqat.core.sweep.SweepRunner;
import org.efqat.core.sweep.SweepTable;
import org.efqat.experiments.run.StopSignal;
import org.efqat.experiments.sweep.ConsoleSweepListener;
import org.efqat.experiments.sweep.LocalPool;
import org.efqat.experiments.sweep.PointCommands;
import org.efqat.experiments.sweep.SlurmSubmitter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code efqat sweep FILE}: every point of an experiment file's {@code sweep:} section, with shared
 * FP and PTQ stages, in this process ({@code --jobs 1}), in parallel processes ({@code --jobs N})
 * or as a Slurm job array ({@code --slurm}); {@code sweep.md} and {@code sweep.json} in the sweep
 * folder are kept current.
 */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    description = {
      "Run every point of a sweep file (an experiment file with a 'sweep:' section).",
      "Points that share their FP or PTQ configuration share those stages (computed once, in"
          + " <output>/<name>/stages/). Running it again skips finished points, resumes started"
          + " ones from their checkpoints and retries failed ones. The table of all points is"
          + " <output>/<name>/sweep.md (and sweep.json)."
    })
final class SweepCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "The sweep file.")
  Path file;

  @Option(
      names = "--until",
      description = "Every point's last stage: ${COMPLETION-CANDIDATES} (default EFQAT).")
  Stage until = Stage.EFQAT;

  @Option(
      names = "--jobs",
      defaultValue = "1",
      description =
          "Points at a time, each in its own process with the cores divided between them"
              + " (default 1: in this process).")
  int jobs;

  @Option(
      names = "--print-commands",
      description =
          "Print the command of the shared stages and one command per unfinished point (for GNU"
              + " parallel or another scheduler) and exit.")
  boolean printCommands;

  @Option(names = "--point", hidden = true, description = "Run only this point (a job's task).")
  Integer point;

  @Option(
      names = "--shared-stages",
      hidden = true,
      description = "Run only the shared FP and PTQ stages (a job's parent).")
  boolean sharedOnly;

  @ArgGroup(exclusive = false, heading = "Slurm:%n")
  SlurmArgs slurm;

  /** The {@code --slurm} options. */
  static final class SlurmArgs {
    @Option(
        names = "--slurm",
        required = true,
        description =
            "Submit a job for the shared stages and a job array (task i runs point i) that"
                + " depends on it; the sweep folder must be on a shared file system.")
    boolean submit;

    @Option(names = "--partition", description = "sbatch --partition.")
    String partition;

    @Option(names = "--time", description = "sbatch --time per job, e.g. 2:00:00.")
    String time;

    @Option(
        names = "--cpus",
        defaultValue = "0",
        description = "sbatch --cpus-per-task, also the threads per task.")
    int cpus;

    @Option(names = "--gpus", defaultValue = "0", description = "sbatch --gpus-per-task.")
    int gpus;

    @Option(
        names = "--max-parallel",
        defaultValue = "0",
        description = "At most this many array tasks at once (sbatch --array=...%%N).")
    int maxParallel;

    @Option(
        names = "--sbatch-arg",
        description = "An extra sbatch argument (repeatable), e.g. --sbatch-arg=--qos=short.")
    List<String> extra = new ArrayList<>();
  }

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ComponentRegistry registry = ComponentRegistry.loadDefault();
    ExperimentLoader loader = new ExperimentLoader(registry);
    Sweep sweep;
    try {
      sweep = SweepPlan.expand(loader.loadSweep(file), loader, registry);
    } catch (ExperimentValidationException e) {
      for (ConfigError error : e.errors()) {
        err.println(error);
      }
      return EfqatCli.EXIT_INVALID;
    }
    if (jobs < 1) {
      err.println("efqat: error: --jobs must be at least 1 (was " + jobs + ")");
      return EfqatCli.EXIT_INVALID;
    }
    PointCommands commands = PointCommands.of(file, until);
    ConsoleSweepListener console = new ConsoleSweepListener(out, EfqatCli.terminal() && jobs == 1);
    try (StopSignal signal = new StopSignal()) {
      SweepRunner runner = new SweepRunner(registry, sweep, until, signal, console);
      if (point != null) {
        PointStatus s = runner.runPoint(sweep.point(point).index());
        return s == PointStatus.DONE ? 0 : EfqatCli.EXIT_FAILURE;
      }
      if (sharedOnly) {
        runner.runSharedStages();
        return 0;
      }
      List<Integer> unfinished = unfinished(runner.table());
      if (printCommands) {
        out.println(commands.shell(commands.sharedArgs()));
        for (int i : unfinished) {
          out.println(commands.shell(commands.pointArgs(Integer.toString(i))));
        }
        return 0;
      }
      out.printf(
          "sweep %s: %d points (%d to run), folder %s%n",
          sweep.base().config().name(), sweep.points().size(), unfinished.size(), sweep.folder());
      out.flush();
      if (slurm != null) {
        return submit(sweep, runner, commands, unfinished, out);
      }
      SweepTable table;
      if (jobs == 1) {
        table = runner.runAll();
      } else {
        table = runInProcesses(sweep, runner, commands, unfinished, out);
      }
      out.printf("sweep %s: %s; table %s%n", table.name(), table.progress(), tableFile(sweep));
      return table.count(PointStatus.FAILED) == 0 ? 0 : EfqatCli.EXIT_FAILURE;
    } catch (RunInterruptedException e) {
      err.println("efqat: " + e.getMessage());
      return e.exitCode();
    }
  }

  private SweepTable runInProcesses(
      Sweep sweep,
      SweepRunner runner,
      PointCommands commands,
      List<Integer> unfinished,
      PrintWriter out)
      throws Exception {
    runner.runSharedStages();
    Map<Integer, Path> dirs = new LinkedHashMap<>();
    for (int i : unfinished) {
      dirs.put(i, SweepRunner.runFolder(sweep.point(i)));
    }
    try (LocalPool pool =
        new LocalPool(commands, jobs, Runtime.getRuntime().availableProcessors())) {
      out.printf(
          "sweep: %d processes at a time, %d thread%s each; logs in each point's %s%n",
          jobs, pool.threadsPerJob(), pool.threadsPerJob() == 1 ? "" : "s", LocalPool.LOG);
      out.flush();
      pool.run(
          dirs,
          i -> {
            SweepTable t = runner.table();
            try {
              t.write(sweep.folder());
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
            SweepPoint p = sweep.point(i);
            SweepTable.Row row = t.rows().get(i);
            out.printf(
                "sweep [%s] %s %s%s%n",
                t.progress(),
                p.id(),
                row.status().name().toLowerCase(java.util.Locale.ROOT),
                row.error() == null ? "" : ": " + row.error());
            out.flush();
          });
    }
    SweepTable t = runner.table();
    t.write(sweep.folder());
    return t;
  }

  private int submit(
      Sweep sweep,
      SweepRunner runner,
      PointCommands commands,
      List<Integer> unfinished,
      PrintWriter out)
      throws Exception {
    if (unfinished.isEmpty()) {
      out.println("sweep: every point has finished; nothing to submit");
      return 0;
    }
    boolean sharedDone = runner.sharedStagesComplete();
    SlurmSubmitter submitter =
        new SlurmSubmitter(
            List.of(System.getenv().getOrDefault("EFQAT_SBATCH", "sbatch")),
            new SlurmSubmitter.Options(
                slurm.partition,
                slurm.time,
                slurm.cpus,
                slurm.gpus,
                slurm.maxParallel,
                slurm.extra));
    SlurmSubmitter.Submitted s =
        submitter.submit(
            commands, sweep.base().config().name(), sweep.folder(), sharedDone, unfinished);
    if (s.shared() != null) {
      out.printf("sweep: submitted job %s for the shared stages%n", s.shared());
    }
    out.printf(
        "sweep: submitted job array %s with %d task%s%s; the table is %s (run 'efqat sweep %s"
            + " --print-commands' to see the commands)%n",
        s.array(),
        s.points().size(),
        s.points().size() == 1 ? "" : "s",
        s.shared() == null ? "" : " after job " + s.shared(),
        tableFile(sweep),
        file);
    return 0;
  }

  private static List<Integer> unfinished(SweepTable table) {
    List<Integer> out = new ArrayList<>();
    for (SweepTable.Row r : table.rows()) {
      if (r.status() != PointStatus.DONE) {
        out.add(r.index());
      }
    }
    return out;
  }

  private static Path tableFile(Sweep sweep) {
    return sweep.folder().resolve(SweepTable.MARKDOWN);
  }
}
