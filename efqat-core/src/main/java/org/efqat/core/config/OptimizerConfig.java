package org.efqat.core.config;

import java.util.List;
import org.efqat.api.spi.ConfigValueException;

/**
 * {@code optimizer:} (and {@code pretrain.optimizer:}) the optimizer and its learning-rate
 * schedule.
 *
 * @param type required: one of {@link #TYPES}
 * @param lr required: the peak learning rate, {@code > 0}
 * @param momentum SGD momentum in [0, 1), or AdamW's beta1; default {@value #DEFAULT_MOMENTUM}
 * @param nesterov SGD Nesterov momentum; default {@code false}
 * @param weightDecay L2 (SGD) or decoupled (AdamW) weight decay, {@code >= 0}; default 0
 * @param schedule one of {@link #SCHEDULES}; default {@code cosine}
 * @param warmupSteps linear warm-up steps before the schedule; default 0
 */
public record OptimizerConfig(
    String type,
    Double lr,
    Double momentum,
    Boolean nesterov,
    Double weightDecay,
    String schedule,
    Integer warmupSteps) {
  /** The optimizers. */
  public static final List<String> TYPES = List.of("sgd", "adamw");

  /** The learning-rate schedules. */
  public static final List<String> SCHEDULES = List.of("constant", "cosine", "step");

  /** The default momentum. */
  public static final double DEFAULT_MOMENTUM = 0.9;

  /** Validates and applies defaults. */
  public OptimizerConfig {
    type = Choices.oneOf("type", type, null, TYPES);
    ConfigValueException.requirePresent("lr", lr);
    if (!(lr > 0 && lr < 100)) {
      throw new ConfigValueException("lr", "must be in (0, 100) (was " + lr + ")");
    }
    momentum = Choices.orDefault(momentum, DEFAULT_MOMENTUM);
    if (!(momentum >= 0 && momentum < 1)) {
      throw new ConfigValueException("momentum", "must be in [0, 1) (was " + momentum + ")");
    }
    nesterov = Choices.orDefault(nesterov, false);
    weightDecay = Choices.orDefault(weightDecay, 0.0);
    ConfigValueException.requireInRange("weightDecay", weightDecay, 0.0, 1.0);
    schedule = Choices.oneOf("schedule", schedule, "cosine", SCHEDULES);
    warmupSteps = Choices.orDefault(warmupSteps, 0);
    ConfigValueException.requireInRange("warmupSteps", warmupSteps, 0, Integer.MAX_VALUE);
  }
}
