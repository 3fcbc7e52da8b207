package org.efqat.core.train;

import ai.djl.training.tracker.CosineTracker;
import ai.djl.training.tracker.Tracker;
import ai.djl.training.tracker.WarmUpTracker;
import org.efqat.core.config.OptimizerConfig;

/**
 * The learning rate per step, on DJL's trackers: {@code constant}, {@code cosine} (to 0 over the
 * run) or {@code step} (×0.1 at 50% and 75% of the run), optionally after a linear warm-up.
 */
public final class LearningRateSchedule {
  private final Tracker tracker;

  private LearningRateSchedule(Tracker tracker) {
    this.tracker = tracker;
  }

  /**
   * @param config the optimizer section
   * @param totalSteps the number of steps of the stage
   * @return the schedule
   */
  public static LearningRateSchedule of(OptimizerConfig config, int totalSteps) {
    float lr = config.lr().floatValue();
    int steps = Math.max(1, totalSteps);
    int warmup = Math.min(config.warmupSteps(), steps - 1);
    int mainSteps = Math.max(1, steps - warmup);
    Tracker main = switch (config.schedule()) {
      case "constant" -> Tracker.fixed(lr);
      case "cosine" -> CosineTracker.builder().setBaseValue(lr).optFinalValue(0f)
          .setMaxUpdates(mainSteps).build();
      case "step" -> stepDecay(lr, mainSteps);
      default -> throw new IllegalArgumentException("unknown schedule " + config.schedule());
    };
    if (warmup > 0) {
      main = WarmUpTracker.builder().setMainTracker(main).optWarmUpSteps(warmup)
          .optWarmUpBeginValue(0f).build();
    }
    return new LearningRateSchedule(main);
  }

  /**
   * ×0.1 at 50% and again at 75% of the steps. Written as a pure function of the step because
   * DJL's {@code MultiFactorTracker} keeps internal state that breaks out-of-order queries.
   */
  private static Tracker stepDecay(float lr, int steps) {
    int first = Math.max(1, steps / 2);
    int second = Math.max(first + 1, steps * 3 / 4);
    return update -> update < first ? lr : update < second ? lr * 0.1f : lr * 0.01f;
  }

  /**
   * @param step the 0-based step
   * @return its learning rate
   */
  public double at(int step) {
    return tracker.getNewValue(step);
  }
}
