package org.efqat.models.mlp;

import org.efqat.api.spi.ConfigValueException;

/**
 * Options of the MLP.
 *
 * @param width hidden units of each of the two hidden layers, in {@code [1, 4096]}; default {@value
 *     #DEFAULT_WIDTH}
 */
public record MlpConfig(Integer width) {
  /** The default hidden width. */
  public static final int DEFAULT_WIDTH = 16;

  /** Applies the default and validates. */
  public MlpConfig {
    width = width == null ? DEFAULT_WIDTH : width;
    ConfigValueException.requireInRange("width", width, 1, 4096);
  }
}
