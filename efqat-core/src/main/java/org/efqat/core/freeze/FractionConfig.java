package org.efqat.core.freeze;

import org.efqat.api.spi.ConfigValueException;

/**
 * Options of the ranking policies {@code cwpl}, {@code cwpn} and {@code lwpn}.
 *
 * @param p the unfrozen fraction, required, in {@code [0, 1]}: 0 freezes every row (PTQ plus the
 *     always-trained parameters), 1 trains every row (plain QAT)
 */
public record FractionConfig(Double p) {
  /** Validates {@code p}. */
  public FractionConfig {
    ConfigValueException.requirePresent("p", p);
    ConfigValueException.requireInRange("p", p, 0.0, 1.0);
  }
}
