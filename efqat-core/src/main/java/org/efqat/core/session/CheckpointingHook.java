package org.efqat.core.session;

import java.nio.file.Path;
import org.efqat.core.config.CheckpointInterval;
import org.efqat.core.train.NonFiniteValues;
import org.efqat.core.train.StepHook;
import org.efqat.core.train.TrainingDivergedException;
import org.efqat.core.train.TrainingProgress;

/** Writes a stage's resume checkpoint every {@code checkpointEvery} and when a signal arrives. */
final class CheckpointingHook implements StepHook {
  private final Path file;
  private final ResumeCheckpoint.Parts parts;
  private final CheckpointInterval every;
  private final StopRequests stop;
  private long lastNanos = System.nanoTime();
  private int lastStep = -1;

  /**
   * @param file the resume checkpoint
   * @param parts what to save
   * @param every how often
   * @param stop asked after every step whether to stop
   */
  CheckpointingHook(
      Path file, ResumeCheckpoint.Parts parts, CheckpointInterval every, StopRequests stop) {
    this.file = file;
    this.parts = parts;
    this.every = every;
    this.stop = stop;
  }

  @Override
  public boolean checkpointDue(int step) {
    if (every.steps() > 0) {
      return step % every.steps() == 0;
    }
    return System.nanoTime() - lastNanos >= every.seconds() * 1_000_000_000L;
  }

  @Override
  public void checkpoint(TrainingProgress progress) {
    NonFiniteValues.first(parts.network(), false)
        .ifPresent(
            v -> {
              throw new TrainingDivergedException(
                  progress.step(), "before the resume checkpoint after this step, " + v);
            });
    ResumeCheckpoint.save(file, parts, progress);
    lastNanos = System.nanoTime();
    lastStep = progress.step();
  }

  @Override
  public boolean stopRequested() {
    return stop.requested();
  }

  /**
   * @return the step of the last checkpoint written, or -1
   */
  int lastStep() {
    return lastStep;
  }
}
