package org.efqat.core.session;

import java.nio.file.Path;
import org.efqat.core.train.TrainingDivergedException;

/**
 * A training stage diverged and the run stopped: the stage is not marked complete and the last good
 * resume checkpoint, if the stage wrote one, is kept as it was. The command line exits with {@value
 * #EXIT_CODE}.
 */
public final class RunDivergedException extends RuntimeException {
  /** The exit code of a diverged run. */
  public static final int EXIT_CODE = 3;

  private static final long serialVersionUID = 1L;
  private final Stage stage;
  private final int step;

  /**
   * @param stage the stage
   * @param cause what the trainer found
   * @param lastGood the stage's resume checkpoint, or {@code null} when it wrote none
   * @param lastGoodStep the step of that checkpoint, or -1 when unknown (written by an earlier
   *     process)
   */
  public RunDivergedException(
      Stage stage, TrainingDivergedException cause, Path lastGood, int lastGoodStep) {
    super(
        "stage "
            + stage
            + " "
            + cause.getMessage()
            + "; the stage is not marked complete; "
            + (lastGood == null
                ? "it wrote no checkpoint"
                : "its last good checkpoint "
                    + lastGood
                    + (lastGoodStep > 0 ? " (after step " + lastGoodStep + ")" : "")
                    + " is kept")
            + "; lower the learning rate or change divergence.maxLoss, then run with --fresh",
        cause);
    this.stage = stage;
    this.step = cause.step();
  }

  /**
   * @return the stage that diverged
   */
  public Stage stage() {
    return stage;
  }

  /**
   * @return the 1-based step at which it was found
   */
  public int step() {
    return step;
  }
}
