package org.efqat.core.ptq;

import org.efqat.api.spi.ConfigValueException;

/**
 * Options of {@code bias-correction} ({@link BiasCorrectionRefinement}).
 *
 * @param samples calibration samples the mean output error is taken over, per layer (at most what
 *     {@code quantization.calibration.batches} hold); default {@value #DEFAULT_SAMPLES}
 */
public record BiasCorrectionConfig(Integer samples) {
  /** Default samples per layer. */
  public static final int DEFAULT_SAMPLES = 1024;

  /** Validates and applies the default. */
  public BiasCorrectionConfig {
    samples = samples == null ? DEFAULT_SAMPLES : samples;
    ConfigValueException.requireInRange("samples", samples, 1, 10_000_000);
  }
}
