package org.efqat.core.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.efqat.core.config.ExperimentLoader;
import org.efqat.core.config.ExperimentValidationException;
import org.efqat.core.config.ResolvedExperiment;
import org.efqat.core.registry.ComponentRegistry;
import org.efqat.core.session.ExperimentSession;
import org.efqat.core.session.RunFolder;
import org.efqat.core.session.RunInterruptedException;
import org.efqat.core.session.SessionOptions;
import org.efqat.core.session.Sessions;
import org.efqat.core.session.SharedStages;
import org.efqat.core.session.Stage;
import org.efqat.core.session.StopRequests;

/**
 * Runs a {@link Sweep}: first the stages its points share — one FP model per distinct FP
 * configuration ({@code stages/fp-<key>}), one PTQ calibration per distinct PTQ configuration
 * ({@code stages/ptq-<key>}), see {@link StageKeys} — then every point that has not finished, each
 * taking its FP and PTQ stages from there ({@link SharedStages}). A finished point is never run
 * again; a started one resumes from its checkpoint; a point that fails is recorded ({@link
 * PointFailure}) and the others go on; {@link SweepTable} is rewritten after every point. A stop
 * request (Ctrl-C) ends the sweep after the running point has written its resume checkpoint.
 *
 * <p>The same runner serves the separate processes of {@code --jobs} and Slurm: {@link
 * #runSharedStages()} in the parent, {@link #runPoint(int)} in each task.
 */
public final class SweepRunner {
  /** The sub-folder of the shared stages. */
  public static final String STAGES = "stages";

  private final ComponentRegistry registry;
  private final ExperimentLoader loader;
  private final Sweep sweep;
  private final Stage until;
  private final StopRequests stop;
  private final SweepListener listener;

  /**
   * @param registry the components
   * @param sweep the sweep
   * @param until the last stage of every point
   * @param stop stop requests (Ctrl-C)
   * @param listener progress
   */
  public SweepRunner(
      ComponentRegistry registry,
      Sweep sweep,
      Stage until,
      StopRequests stop,
      SweepListener listener) {
    this.registry = Objects.requireNonNull(registry);
    this.loader = new ExperimentLoader(registry);
    this.sweep = Objects.requireNonNull(sweep);
    this.until = Objects.requireNonNull(until);
    this.stop = Objects.requireNonNull(stop);
    this.listener = Objects.requireNonNull(listener);
  }

  /**
   * @param p a point
   * @return its run folder
   */
  public static Path runFolder(SweepPoint p) {
    return Path.of(p.experiment().config().output()).resolve(p.experiment().config().name());
  }

  /**
   * @param p a point
   * @return the run folder of its shared FP stage
   */
  public Path fpStage(SweepPoint p) {
    return sweep.folder().resolve(STAGES).resolve("fp-" + StageKeys.fp(p.experiment()));
  }

  /**
   * @param p a point
   * @return the run folder of its shared PTQ stage
   */
  public Path ptqStage(SweepPoint p) {
    return sweep.folder().resolve(STAGES).resolve("ptq-" + StageKeys.ptq(p.experiment()));
  }

  /**
   * @return the table as the run folders show it now
   */
  public SweepTable table() {
    return SweepTable.of(sweep, until);
  }

  /** The lock file that serializes table writes of concurrent point processes. */
  static final String TABLE_LOCK = ".sweep-table.lock";

  /**
   * Reads the table from the run folders and writes it, holding a lock on the sweep folder: points
   * of {@code --jobs} and Slurm array tasks finish concurrently, and without the lock a process
   * that read the folders before another point finished could write its older table last. Every
   * point writes its state before the table, so the last writer's table holds every finished point.
   *
   * @return the table written
   * @throws IOException if it cannot be written
   */
  SweepTable writeTable() throws IOException {
    Files.createDirectories(sweep.folder());
    try (FileChannel channel =
        FileChannel.open(
            sweep.folder().resolve(TABLE_LOCK),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE)) {
      FileLock lock = channel.lock(); // released when the channel closes
      SweepTable t = table();
      t.write(sweep.folder());
      lock.release();
      return t;
    }
  }

  /**
   * Shared stages, then every unfinished point in order; the table after each.
   *
   * @return the final table
   * @throws IOException if the table cannot be written
   * @throws RunInterruptedException when a stop request ended the sweep
   */
  public SweepTable runAll() throws IOException {
    runSharedStages();
    for (SweepPoint p : sweep.points()) {
      runPoint(p.index());
    }
    SweepTable t = writeTable();
    return t;
  }

  /**
   * Computes every shared FP and PTQ stage that has not completed. A stage that fails is recorded
   * in its folder ({@link PointFailure}); the points that need it fail with its error.
   *
   * @throws IOException if a failure cannot be recorded
   * @throws RunInterruptedException when a stop request ended it
   */
  public void runSharedStages() throws IOException {
    Map<Path, SweepPoint> fps = new LinkedHashMap<>();
    Map<Path, SweepPoint> ptqs = new LinkedHashMap<>();
    Map<Path, Integer> users = new LinkedHashMap<>();
    for (SweepPoint p : sweep.points()) {
      fps.putIfAbsent(fpStage(p), p);
      ptqs.putIfAbsent(ptqStage(p), p);
      users.merge(fpStage(p), 1, Integer::sum);
      users.merge(ptqStage(p), 1, Integer::sum);
    }
    for (Map.Entry<Path, SweepPoint> e : fps.entrySet()) {
      runShared(e.getKey(), e.getValue(), Stage.PRETRAIN, SharedStages.NONE, users.get(e.getKey()));
    }
    if (until == Stage.PRETRAIN) {
      return;
    }
    for (Map.Entry<Path, SweepPoint> e : ptqs.entrySet()) {
      SweepPoint p = e.getValue();
      if (!isComplete(fpStage(p), Stage.PRETRAIN)) {
        continue; // its failure is recorded; the points report it
      }
      runShared(
          e.getKey(), p, Stage.PTQ, new SharedStages(fpStage(p), null), users.get(e.getKey()));
    }
  }

  private void runShared(Path dir, SweepPoint p, Stage last, SharedStages shared, int points)
      throws IOException {
    if (isComplete(dir, last)) {
      return;
    }
    listener.sharedStageStarted(dir.getFileName().toString(), points);
    ResolvedExperiment e;
    try {
      e =
          loader.override(
              p.experiment(),
              Map.of(
                  "name", dir.getFileName().toString(),
                  "output", dir.getParent().toString()),
              "sweep shared stage " + dir.getFileName());
    } catch (ExperimentValidationException ex) {
      throw new IllegalStateException("a valid point gave an invalid shared stage: " + ex, ex);
    }
    String error = run(e, last, shared, p);
    if (error != null) {
      Files.createDirectories(dir);
      new RunFolder(dir).writeJson(PointFailure.FILE, new PointFailure(error, now()));
    } else {
      Files.deleteIfExists(dir.resolve(PointFailure.FILE));
    }
  }

  /**
   * @return whether every shared stage the points need has completed
   */
  public boolean sharedStagesComplete() {
    for (SweepPoint p : sweep.points()) {
      if (!isComplete(fpStage(p), Stage.PRETRAIN)
          || (until != Stage.PRETRAIN && !isComplete(ptqStage(p), Stage.PTQ))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Runs one point unless it has finished, from its shared stages (computed first if missing).
   *
   * @param index the point
   * @return how it ended
   * @throws IOException if its failure or the table cannot be written
   * @throws RunInterruptedException when a stop request ended it (its resume checkpoint is written)
   */
  public PointStatus runPoint(int index) throws IOException {
    SweepPoint p = sweep.point(index);
    Path dir = runFolder(p);
    String foreign = foreignRun(sweep, p);
    if (foreign == null && isComplete(dir, until)) {
      return PointStatus.DONE;
    }
    listener.pointStarted(p, table());
    String error = foreign != null ? foreign : sharedStageError(p);
    if (error == null) {
      SharedStages shared =
          until == Stage.PRETRAIN
              ? new SharedStages(fpStage(p), null)
              : new SharedStages(fpStage(p), ptqStage(p));
      error = run(p.experiment(), until, shared, p);
    }
    PointStatus status = error == null ? PointStatus.DONE : PointStatus.FAILED;
    if (error != null && foreign == null) { // a foreign run's folder stays as it is
      Files.createDirectories(dir);
      new RunFolder(dir).writeJson(PointFailure.FILE, new PointFailure(error, now()));
    } else {
      Files.deleteIfExists(dir.resolve(PointFailure.FILE));
    }
    SweepTable t = writeTable();
    listener.pointFinished(p, status, error, t);
    return status;
  }

  /**
   * Points are numbered by their position in the sweep, so editing a sweep's grid renumbers them; a
   * point's folder may then hold the run of another configuration, which must neither count as this
   * point's result nor be resumed.
   *
   * @param sweep the sweep
   * @param p one of its points
   * @return why the point's run folder holds another configuration's run (one line), or {@code
   *     null} when it holds this point's run or none
   */
  static String foreignRun(Sweep sweep, SweepPoint p) {
    Path dir = runFolder(p);
    if (!Files.exists(dir.resolve(RunFolder.CONFIG))) {
      return null;
    }
    String earlier = new RunFolder(dir).readText(RunFolder.CONFIG);
    if (earlier == null || earlier.equals(p.experiment().toYaml())) {
      return null;
    }
    return sweep.folder().relativize(dir)
        + " holds a run of another configuration than point "
        + p.index()
        + " ("
        + p.describe()
        + "): the sweep changed since it ran, and points are numbered by position; move that"
        + " folder away or give the sweep a new name";
  }

  /**
   * @return why the point's shared stages are not there, or {@code null} when they are
   */
  private String sharedStageError(SweepPoint p) {
    List<Map.Entry<Path, Stage>> needed =
        until == Stage.PRETRAIN
            ? List.of(Map.entry(fpStage(p), Stage.PRETRAIN))
            : List.of(Map.entry(fpStage(p), Stage.PRETRAIN), Map.entry(ptqStage(p), Stage.PTQ));
    for (Map.Entry<Path, Stage> n : needed) {
      if (isComplete(n.getKey(), n.getValue())) {
        continue;
      }
      PointFailure f =
          new RunFolder(n.getKey()).readJson(PointFailure.FILE, PointFailure.class, null);
      String folder = sweep.folder().relativize(n.getKey()).toString();
      return f != null
          ? "shared stage " + folder + " failed: " + f.error()
          : "shared stage " + folder + " has not run; run the sweep's shared stages first";
    }
    return null;
  }

  /**
   * @return {@code null} when the run completed {@code last}, else its one-line error
   * @throws RunInterruptedException when stopped
   */
  private String run(ResolvedExperiment e, Stage last, SharedStages shared, SweepPoint p) {
    SessionOptions options = new SessionOptions(null, false, last, stop, shared);
    try (ExperimentSession session =
        Sessions.open(registry, e, options, listener.sessionListener(p))) {
      session.run();
      return null;
    } catch (RunInterruptedException ex) {
      throw ex;
    } catch (IOException | UncheckedIOException ex) {
      return "I/O error: " + oneLine(ex);
    } catch (RuntimeException ex) {
      return oneLine(ex);
    }
  }

  private static boolean isComplete(Path dir, Stage stage) {
    return Files.exists(dir.resolve(RunFolder.STATE))
        && new RunFolder(dir).readState().isComplete(stage);
  }

  private static String oneLine(Throwable t) {
    String m = t.getMessage() == null ? t.toString() : t.getMessage();
    return m.replace('\n', ' ').replace('\r', ' ');
  }

  private static String now() {
    return Instant.now().toString();
  }
}
