package org.efqat.models.cnn;

import org.efqat.api.spi.ConfigValueException;

/**
 * Options of the small CNN.
 *
 * @param width channels of the first stage (the others have twice and four times as many), in
 *     {@code [1, 4096]}; default {@value #DEFAULT_WIDTH}
 */
public record SmallCnnConfig(Integer width) {
  /** The default first-stage width. */
  public static final int DEFAULT_WIDTH = 16;

  /** Applies the default and validates. */
  public SmallCnnConfig {
    width = width == null ? DEFAULT_WIDTH : width;
    ConfigValueException.requireInRange("width", width, 1, 4096);
  }
}
