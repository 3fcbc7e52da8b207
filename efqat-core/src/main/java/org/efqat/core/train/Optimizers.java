package org.efqat.core.train;

import org.efqat.core.config.OptimizerConfig;

/** Builds the optimizer an experiment names. */
public final class Optimizers {
  /** AdamW's second-moment decay. */
  public static final double ADAM_BETA2 = 0.999;

  private Optimizers() {}

  /**
   * @param config the optimizer section
   * @return a fresh optimizer (no state)
   */
  public static Optimizer create(OptimizerConfig config) {
    return switch (config.type()) {
      case "sgd" -> new Sgd(config.momentum(), config.nesterov(), config.weightDecay());
      case "adamw" -> new AdamW(config.momentum(), ADAM_BETA2, config.weightDecay());
      default -> throw new IllegalArgumentException("unknown optimizer " + config.type());
    };
  }
}
