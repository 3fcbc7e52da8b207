package org.efqat.core.train;

import ai.djl.training.tracker.CosineTracker;
import ai.djl.training.tracker.Tracker;
import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;
import org.efqat.api.spi.NoOptions;

/** The built-in learning-rate schedules, each registered on its own. */
public final class ScheduleProviders {
  private ScheduleProviders() {}

  /** {@code constant}: the peak rate throughout. */
  public static final class Constant extends AbstractComponentProvider<Schedule, NoOptions>
      implements ScheduleProvider<NoOptions> {
    /** Registers the schedule. */
    public Constant() {
      super("constant", NoOptions.class, "the peak learning rate throughout");
    }

    @Override
    public Schedule create(NoOptions config, ComponentContext context) {
      return (lr, steps) -> Tracker.fixed(lr);
    }
  }

  /** {@code cosine}: from the peak rate to 0 over the stage (DJL's {@link CosineTracker}). */
  public static final class Cosine extends AbstractComponentProvider<Schedule, NoOptions>
      implements ScheduleProvider<NoOptions> {
    /** Registers the schedule. */
    public Cosine() {
      super("cosine", NoOptions.class, "cosine decay from the peak rate to 0 over the stage");
    }

    @Override
    public Schedule create(NoOptions config, ComponentContext context) {
      return (lr, steps) ->
          CosineTracker.builder().setBaseValue(lr).optFinalValue(0f).setMaxUpdates(steps).build();
    }
  }

  /** {@code step}: multiplied by {@code gamma} at fractions of the stage. */
  public static final class Step extends AbstractComponentProvider<Schedule, StepScheduleConfig>
      implements ScheduleProvider<StepScheduleConfig> {
    /** Registers the schedule. */
    public Step() {
      super(
          "step",
          StepScheduleConfig.class,
          "x gamma (0.1) at fractions of the stage (0.5 and 0.75)");
    }

    @Override
    public Schedule create(StepScheduleConfig config, ComponentContext context) {
      return new StepSchedule(config.milestones(), config.gamma());
    }
  }
}
