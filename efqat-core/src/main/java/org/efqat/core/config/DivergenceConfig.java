package org.efqat.core.config;

import org.efqat.api.spi.ConfigValueException;

/**
 * {@code divergence:} when a training stage counts as diverged and stops (exit code 3). The loss is
 * checked every step, every parameter before each resume checkpoint and at the end of each stage; a
 * non-finite value always stops the stage.
 *
 * @param maxLoss a step's mean cross-entropy above this ends the stage; {@code .inf} turns the
 *     bound off (NaN and infinity still stop it); default {@value #DEFAULT_MAX_LOSS} (a uniform
 *     guess over 10 classes costs 2.3)
 */
public record DivergenceConfig(Double maxLoss) {
  /** The default bound. */
  public static final double DEFAULT_MAX_LOSS = 100.0;

  /** The defaults. */
  public static final DivergenceConfig DEFAULT = new DivergenceConfig(null);

  /** Validates and applies the default. */
  public DivergenceConfig {
    maxLoss = Choices.orDefault(maxLoss, DEFAULT_MAX_LOSS);
    if (!(maxLoss > 0)) {
      throw new ConfigValueException("maxLoss", "must be > 0 (was " + maxLoss + ")");
    }
  }
}
