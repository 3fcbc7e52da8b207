package com.example.efqat;

import org.efqat.api.spi.ConfigValueException;

/**
 * The YAML keys of {@code type: sticky}.
 *
 * @param p the unfrozen fraction in [0, 1], required
 * @param slack a row that trains keeps training while it ranks within {@code (1 + slack)·k} of the
 *     network-wide ranking ({@code k = ⌈p·N⌉}); default 0.5
 */
public record StickyConfig(Double p, Double slack) {
  /** Validates; the messages name the key, and efqat prefixes the YAML path. */
  public StickyConfig {
    ConfigValueException.requirePresent("p", p);
    ConfigValueException.requireInRange("p", p, 0.0, 1.0);
    slack = slack == null ? 0.5 : slack;
    ConfigValueException.requireInRange("slack", slack, 0.0, 100.0);
  }
}
