package org.efqat.core.train;

import org.efqat.api.spi.ConfigValueException;

/**
 * Options of {@code adamw}.
 *
 * @param beta1 first-moment decay in [0, 1); default {@value #DEFAULT_BETA1}
 * @param beta2 second-moment decay in [0, 1); default {@value #DEFAULT_BETA2}
 * @param weightDecay decoupled decay λ ≥ 0 on weights; default 0
 */
public record AdamWConfig(Double beta1, Double beta2, Double weightDecay) {
  /** The default first-moment decay. */
  public static final double DEFAULT_BETA1 = 0.9;

  /** The default second-moment decay. */
  public static final double DEFAULT_BETA2 = 0.999;

  /** Validates and applies defaults. */
  public AdamWConfig {
    beta1 = beta1 == null ? DEFAULT_BETA1 : beta1;
    beta2 = beta2 == null ? DEFAULT_BETA2 : beta2;
    if (!(beta1 >= 0 && beta1 < 1)) {
      throw new ConfigValueException("beta1", "must be in [0, 1) (was " + beta1 + ")");
    }
    if (!(beta2 >= 0 && beta2 < 1)) {
      throw new ConfigValueException("beta2", "must be in [0, 1) (was " + beta2 + ")");
    }
    weightDecay = weightDecay == null ? 0.0 : weightDecay;
    ConfigValueException.requireInRange("weightDecay", weightDecay, 0.0, 1.0);
  }
}
