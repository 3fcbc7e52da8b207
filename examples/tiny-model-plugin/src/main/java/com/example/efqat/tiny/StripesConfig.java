package com.example.efqat.tiny;

import org.efqat.api.spi.ConfigValueException;

/**
 * Options of {@code stripes}.
 *
 * @param trainSamples training images, in {@code [1, 1000000]}; default {@value
 *     #DEFAULT_TRAIN_SAMPLES}
 * @param testSamples test images, in {@code [1, 1000000]}; default {@value #DEFAULT_TEST_SAMPLES}
 */
public record StripesConfig(Integer trainSamples, Integer testSamples) {
  /** The default training images. */
  public static final int DEFAULT_TRAIN_SAMPLES = 512;

  /** The default test images. */
  public static final int DEFAULT_TEST_SAMPLES = 256;

  /** Applies defaults and validates. */
  public StripesConfig {
    trainSamples = trainSamples == null ? DEFAULT_TRAIN_SAMPLES : trainSamples;
    testSamples = testSamples == null ? DEFAULT_TEST_SAMPLES : testSamples;
    ConfigValueException.requireInRange("trainSamples", trainSamples, 1, 1_000_000);
    ConfigValueException.requireInRange("testSamples", testSamples, 1, 1_000_000);
  }
}
