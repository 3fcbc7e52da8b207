package org.efqat.experiments.sweep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code efqat sweep FILE --slurm}: submits the sweep to Slurm as (1) one job computing the shared
 * FP and PTQ stages ({@code --shared-stages}), unless they are complete, and (2) one job array
 * whose task {@code i} runs point {@code i} ({@code --point $SLURM_ARRAY_TASK_ID}), only over the
 * points that have not finished, depending on (1) with {@code afterok}. Tasks share the sweep
 * folder, so it must be on a file system every node sees. Slurm's output files go to {@code
 * <sweep>/slurm/}.
 *
 * @param sbatch the {@code sbatch} command (and any fixed arguments)
 * @param options the submission options
 */
public record SlurmSubmitter(List<String> sbatch, Options options) {
  /**
   * What {@code --slurm} passes to {@code sbatch}.
   *
   * @param partition {@code --partition}, or {@code null}
   * @param time {@code --time} per job, e.g. {@code 2:00:00}, or {@code null}
   * @param cpus {@code --cpus-per-task}; also the threads each task uses; 0 to leave unset
   * @param gpus {@code --gpus-per-task}; 0 to leave unset
   * @param maxParallel at most this many array tasks at once ({@code %N}); 0 for no limit
   * @param extra more {@code sbatch} arguments, as given
   */
  public record Options(
      String partition, String time, int cpus, int gpus, int maxParallel, List<String> extra) {
    /** Copies the list. */
    public Options {
      extra = List.copyOf(extra);
    }
  }

  /**
   * The job ids submitted.
   *
   * @param shared the shared-stage job, or {@code null} when the stages were complete
   * @param array the job array
   * @param points the array's indices
   */
  public record Submitted(String shared, String array, List<Integer> points) {}

  /**
   * @param commands the sweep's commands
   * @param sweepName the sweep's name (job names)
   * @param sweepFolder the sweep folder
   * @param sharedDone whether the shared stages are complete
   * @param points the unfinished points' indices, at least one
   * @return the job ids
   * @throws IOException if {@code sbatch} fails, with its output
   */
  public Submitted submit(
      PointCommands commands,
      String sweepName,
      Path sweepFolder,
      boolean sharedDone,
      List<Integer> points)
      throws IOException, InterruptedException {
    Path logs = sweepFolder.toAbsolutePath().resolve("slurm");
    Files.createDirectories(logs);
    String shared = null;
    if (!sharedDone) {
      List<String> a = common(sweepName + "-shared", logs.resolve("shared-%j.out"));
      a.add("--wrap");
      a.add(wrap(commands.shell(commands.sharedArgs())));
      shared = run(a);
    }
    String array = indices(points) + (options.maxParallel() > 0 ? "%" + options.maxParallel() : "");
    List<String> a = common(sweepName, logs.resolve("point-%a-%A.out"));
    a.add("--array=" + array);
    if (shared != null) {
      a.add("--dependency=afterok:" + shared);
      a.add("--kill-on-invalid-dep=yes"); // a failed shared stage cancels the array
    }
    a.add("--wrap");
    a.add(wrap(commands.shell(commands.pointArgs("$SLURM_ARRAY_TASK_ID"))));
    return new Submitted(shared, run(a), List.copyOf(points));
  }

  private List<String> common(String jobName, Path output) {
    List<String> a = new ArrayList<>(sbatch);
    a.add("--parsable");
    a.add("--job-name=" + jobName);
    a.add("--output=" + output);
    if (options.partition() != null) {
      a.add("--partition=" + options.partition());
    }
    if (options.time() != null) {
      a.add("--time=" + options.time());
    }
    if (options.cpus() > 0) {
      a.add("--cpus-per-task=" + options.cpus());
    }
    if (options.gpus() > 0) {
      a.add("--gpus-per-task=" + options.gpus());
    }
    a.addAll(options.extra());
    return a;
  }

  /** The job's shell command: the threads set from the CPUs Slurm gave the task. */
  private String wrap(String command) {
    if (options.cpus() <= 0) {
      return command;
    }
    int c = options.cpus();
    return String.format(
        Locale.ROOT,
        "export OMP_NUM_THREADS=%d OPENBLAS_NUM_THREADS=%d"
            + " EFQAT_JAVA_OPTS=\"${EFQAT_JAVA_OPTS:--Xmx8g} -XX:ActiveProcessorCount=%d\"; %s",
        c,
        c,
        c,
        command);
  }

  /**
   * @param points sorted indices
   * @return Slurm's array syntax, ranges collapsed: {@code 0-3,7,9-10}
   */
  static String indices(List<Integer> points) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (i < points.size()) {
      int j = i;
      while (j + 1 < points.size() && points.get(j + 1) == points.get(j) + 1) {
        j++;
      }
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(points.get(i));
      if (j > i) {
        sb.append('-').append(points.get(j));
      }
      i = j + 1;
    }
    return sb.toString();
  }

  /** Runs sbatch; returns the job id ({@code --parsable}: {@code id[;cluster]}). */
  private static String run(List<String> args) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(args).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException(
          "cannot run " + args.get(0) + " (" + e.getMessage() + "); is Slurm installed here?", e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    int code = p.waitFor();
    if (code != 0) {
      throw new IOException(args.get(0) + " failed (exit " + code + "): " + out.replace('\n', ' '));
    }
    String last = out.lines().reduce((x, y) -> y).orElse("");
    String id = last.split(";")[0].trim();
    if (!id.matches("[0-9]+")) {
      throw new IOException(args.get(0) + " printed no job id: " + out.replace('\n', ' '));
    }
    return id;
  }
}
