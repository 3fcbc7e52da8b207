package org.efqat.core.config;

import java.util.List;
import org.efqat.api.spi.ConfigValueException;

/**
 * {@code quantization.calibration:} PTQ range calibration (DESIGN.md 1.3).
 *
 * @param method range estimator, one of {@link #METHODS}; default {@code minmax}
 * @param batches training batches observed; default {@value #DEFAULT_BATCHES}
 * @param percentile for {@code percentile}: the percentile of |x| kept, in (50, 100]; default
 *     {@value #DEFAULT_PERCENTILE}
 * @param foldBatchNorm fold BatchNorm into the preceding conv before quantizing (the deployed
 *     form); default {@code true}
 */
public record CalibrationConfig(
    String method, Integer batches, Double percentile, Boolean foldBatchNorm) {
  /** The range estimators. */
  public static final List<String> METHODS = List.of("minmax", "percentile", "mse");

  /** The default number of calibration batches. */
  public static final int DEFAULT_BATCHES = 4;

  /** The default percentile. */
  public static final double DEFAULT_PERCENTILE = 99.99;

  /** The defaults. */
  public static final CalibrationConfig DEFAULT = new CalibrationConfig(null, null, null, null);

  /** Validates and applies defaults. */
  public CalibrationConfig {
    method = Choices.oneOf("method", method, "minmax", METHODS);
    batches = Choices.orDefault(batches, DEFAULT_BATCHES);
    ConfigValueException.requireInRange("batches", batches, 1, 1_000_000);
    percentile = Choices.orDefault(percentile, DEFAULT_PERCENTILE);
    if (!(percentile > 50.0 && percentile <= 100.0)) {
      throw new ConfigValueException("percentile", "must be in (50, 100] (was " + percentile + ")");
    }
    foldBatchNorm = Choices.orDefault(foldBatchNorm, true);
  }
}
