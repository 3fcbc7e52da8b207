package org.efqat.core.freeze;

import org.efqat.api.spi.ConfigValueException;

/**
 * Options of the {@code random} baseline.
 *
 * @param p the unfrozen fraction, required, in {@code [0, 1]}
 * @param perLayer draw {@code ⌈p·C_out⌉} rows in every layer (like {@code cwpl}) instead of {@code
 *     ⌈p·N⌉} rows over the network (like {@code cwpn}); default {@code false}
 */
public record RandomFreezeConfig(Double p, Boolean perLayer) {
  /** Validates {@code p} and applies defaults. */
  public RandomFreezeConfig {
    ConfigValueException.requirePresent("p", p);
    ConfigValueException.requireInRange("p", p, 0.0, 1.0);
    perLayer = perLayer != null && perLayer;
  }
}
