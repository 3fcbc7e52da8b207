package org.efqat.models.datasets;

import org.efqat.api.spi.ConfigValueException;

/**
 * Options of {@code random-images}.
 *
 * @param side image rows and columns, in {@code [1, 4096]}; default {@value #DEFAULT_SIDE}
 * @param channels values per pixel, in {@code [1, 4096]}; default {@value #DEFAULT_CHANNELS}
 * @param classes the number of classes, in {@code [1, 1000000]}; default {@value #DEFAULT_CLASSES}
 * @param samples images (the training and the test split are the same images), at least 1 and with
 *     {@code samples·side²·channels < 2^31}; default {@value #DEFAULT_SAMPLES}
 */
public record RandomImagesConfig(Integer side, Integer channels, Integer classes, Integer samples) {
  /** The default side, CIFAR-sized. */
  public static final int DEFAULT_SIDE = 32;

  /** The default channels, RGB. */
  public static final int DEFAULT_CHANNELS = 3;

  /** The default classes. */
  public static final int DEFAULT_CLASSES = 10;

  /** The default images: one batch of 128. */
  public static final int DEFAULT_SAMPLES = 128;

  /** Applies defaults and validates. */
  public RandomImagesConfig {
    side = side == null ? DEFAULT_SIDE : side;
    channels = channels == null ? DEFAULT_CHANNELS : channels;
    classes = classes == null ? DEFAULT_CLASSES : classes;
    samples = samples == null ? DEFAULT_SAMPLES : samples;
    ConfigValueException.requireInRange("side", side, 1, 4096);
    ConfigValueException.requireInRange("channels", channels, 1, 4096);
    ConfigValueException.requireInRange("classes", classes, 1, 1_000_000);
    ConfigValueException.requireInRange("samples", samples, 1, Integer.MAX_VALUE);
    long values = (long) samples * side * side * channels;
    if (values > Integer.MAX_VALUE - 8) {
      throw new ConfigValueException(
          "samples",
          "times side² × channels must be < 2^31 (was "
              + samples
              + " × "
              + side
              + "² × "
              + channels
              + " = "
              + values
              + ")");
    }
  }
}
