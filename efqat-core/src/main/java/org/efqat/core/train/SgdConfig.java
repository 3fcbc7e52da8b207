package org.efqat.core.train;

import org.efqat.api.spi.ConfigValueException;

/**
 * Options of {@code sgd}.
 *
 * @param momentum μ in [0, 1); default {@value #DEFAULT_MOMENTUM}
 * @param nesterov Nesterov momentum; default {@code false}
 * @param weightDecay L2 decay λ ≥ 0 on weights; default 0
 */
public record SgdConfig(Double momentum, Boolean nesterov, Double weightDecay) {
  /** The default momentum. */
  public static final double DEFAULT_MOMENTUM = 0.9;

  /** Validates and applies defaults. */
  public SgdConfig {
    momentum = momentum == null ? DEFAULT_MOMENTUM : momentum;
    if (!(momentum >= 0 && momentum < 1)) {
      throw new ConfigValueException("momentum", "must be in [0, 1) (was " + momentum + ")");
    }
    nesterov = nesterov != null && nesterov;
    weightDecay = weightDecay == null ? 0.0 : weightDecay;
    ConfigValueException.requireInRange("weightDecay", weightDecay, 0.0, 1.0);
  }
}
