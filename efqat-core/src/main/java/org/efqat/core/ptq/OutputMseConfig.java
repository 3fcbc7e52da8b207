package org.efqat.core.ptq;

import org.efqat.api.spi.ConfigValueException;

/**
 * Options of {@code output-mse} ({@link OutputMseRefinement}).
 *
 * @param samples calibration samples the output error is measured on, per layer (at most what
 *     {@code quantization.calibration.batches} hold); default {@value #DEFAULT_SAMPLES}
 * @param minFactor the smallest factor the calibrated range is shrunk by, in {@code (0, 1]};
 *     default {@value #DEFAULT_MIN_FACTOR}
 * @param candidates how many factors are tried, evenly spaced from 1 down to {@code minFactor};
 *     default {@value #DEFAULT_CANDIDATES} (steps of 0.02)
 */
public record OutputMseConfig(Integer samples, Double minFactor, Integer candidates) {
  /** Default samples per layer. */
  public static final int DEFAULT_SAMPLES = 512;

  /** Default smallest shrink factor. */
  public static final double DEFAULT_MIN_FACTOR = 0.3;

  /** Default number of factors tried. */
  public static final int DEFAULT_CANDIDATES = 36;

  /** Validates and applies defaults. */
  public OutputMseConfig {
    samples = samples == null ? DEFAULT_SAMPLES : samples;
    ConfigValueException.requireInRange("samples", samples, 1, 10_000_000);
    minFactor = minFactor == null ? DEFAULT_MIN_FACTOR : minFactor;
    if (!(minFactor > 0 && minFactor <= 1)) {
      throw new ConfigValueException("minFactor", "must be in (0, 1] (was " + minFactor + ")");
    }
    candidates = candidates == null ? DEFAULT_CANDIDATES : candidates;
    ConfigValueException.requireInRange("candidates", candidates, 1, 10_000);
  }

  /**
   * @return the factors tried, from 1 down to {@code minFactor}
   */
  public double[] factors() {
    double[] f = new double[candidates];
    for (int i = 0; i < candidates; i++) {
      f[i] = candidates == 1 ? 1 : 1 - i * (1 - minFactor) / (candidates - 1);
    }
    return f;
  }
}
