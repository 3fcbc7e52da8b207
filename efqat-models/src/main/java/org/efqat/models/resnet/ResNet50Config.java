package org.efqat.models.resnet;

import org.efqat.api.spi.ConfigValueException;

/**
 * Options of {@link ResNet50}.
 *
 * @param width channels of the stem (stage {@code s} has {@code width·2^s} planes and {@code
 *     4·width·2^s} outputs), in {@code [1, 4096]}; default {@value #DEFAULT_WIDTH}, the standard
 *     model's {@link ResNet50#STANDARD_WIDTH}
 */
public record ResNet50Config(Integer width) {
  /** The default width. */
  public static final int DEFAULT_WIDTH = ResNet50.STANDARD_WIDTH;

  /** Applies the default and validates. */
  public ResNet50Config {
    width = width == null ? DEFAULT_WIDTH : width;
    ConfigValueException.requireInRange("width", width, 1, 4096);
  }
}
