package org.efqat.models.resnet;

import org.efqat.api.spi.ConfigValueException;

/**
 * Options of {@link ResNet20}.
 *
 * @param width channels of the first stage (twice and four times as many in the second and third),
 *     in {@code [1, 4096]}; default {@value #DEFAULT_WIDTH}, as in the paper
 */
public record ResNet20Config(Integer width) {
  /** The default width. */
  public static final int DEFAULT_WIDTH = 16;

  /** Applies the default and validates. */
  public ResNet20Config {
    width = width == null ? DEFAULT_WIDTH : width;
    ConfigValueException.requireInRange("width", width, 1, 4096);
  }
}
