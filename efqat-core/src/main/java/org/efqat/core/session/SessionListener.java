package org.efqat.core.session;

import java.nio.file.Path;
import org.efqat.api.backend.Backend;
import org.efqat.core.ptq.LayerReport;
import org.efqat.core.train.TrainingListener;

/**
 * What a session reports while it runs (a command line prints it; a library caller may ignore it).
 * Every method has an empty default.
 */
public interface SessionListener {
  /** Ignores everything. */
  SessionListener NONE = new SessionListener() {};

  /**
   * @param name the experiment's name
   * @param backend the backend it runs on
   * @param runFolder where its files go
   */
  default void started(String name, Backend backend, Path runFolder) {}

  /**
   * A stage completed in an earlier run and is not run again.
   *
   * @param stage the stage
   * @param what what was reused, e.g. the checkpoint loaded
   */
  default void reused(Stage stage, String what) {}

  /**
   * A training stage continues from a resume checkpoint.
   *
   * @param stage the stage
   * @param step the steps completed before the interruption
   */
  default void resumed(Stage stage, int step) {}

  /**
   * A stage finished.
   *
   * @param stage the stage
   * @param metrics everything measured so far
   */
  default void finished(Stage stage, RunMetrics metrics) {}

  /**
   * A PTQ refinement ({@code quantization.calibration.refine}) finished one layer.
   *
   * @param refinement the refinement's name, for example {@code adaround}
   * @param layer what it did to the layer: output MSE before and after, time
   */
  default void refined(String refinement, LayerReport layer) {}

  /**
   * A stage stopped on SIGINT/SIGTERM after writing a resume checkpoint.
   *
   * @param stage the stage
   * @param step the steps completed
   * @param checkpoint the resume checkpoint
   */
  default void interrupted(Stage stage, int step, Path checkpoint) {}

  /**
   * @param stage a training stage
   * @return the listener of its steps (a progress bar)
   */
  default TrainingListener progress(Stage stage) {
    return TrainingListener.NONE;
  }
}
