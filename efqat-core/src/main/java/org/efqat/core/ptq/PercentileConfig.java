package org.efqat.core.ptq;

import org.efqat.api.spi.ConfigValueException;

/**
 * Options of {@code percentile}.
 *
 * @param percentile the percentile of the activations kept, in (50, 100]; default {@value
 *     #DEFAULT_PERCENTILE}
 */
public record PercentileConfig(Double percentile) {
  /** The default percentile. */
  public static final double DEFAULT_PERCENTILE = 99.99;

  /** Validates and applies the default. */
  public PercentileConfig {
    percentile = percentile == null ? DEFAULT_PERCENTILE : percentile;
    if (!(percentile > 50.0 && percentile <= 100.0)) {
      throw new ConfigValueException("percentile", "must be in (50, 100] (was " + percentile + ")");
    }
  }
}
