package org.efqat.core.config;

import org.efqat.api.spi.ConfigValueException;

/**
 * {@code data:} the dataset and how it is fed.
 *
 * @param dataset required: the dataset component with its options, for example {@code
 *     fashion-mnist-sample} (bundled with efqat-models) or {@code {type: fashion-mnist, path:
 *     /data/fmnist}}; {@code efqat list-components} lists them
 * @param batchSize samples per training step; default {@value #DEFAULT_BATCH_SIZE}
 * @param trainSamples use only the first this many training samples; default all
 * @param testSamples use only the first this many test samples; default all
 * @param augment the dataset's random training augmentation (flips and crops for images, seeded);
 *     default {@code false}
 */
public record DataConfig(
    ComponentSpec dataset,
    Integer batchSize,
    Integer trainSamples,
    Integer testSamples,
    Boolean augment) {
  /** The default batch size. */
  public static final int DEFAULT_BATCH_SIZE = 128;

  /** Validates and applies defaults. */
  public DataConfig {
    ConfigValueException.requirePresent("dataset", dataset);
    batchSize = Choices.orDefault(batchSize, DEFAULT_BATCH_SIZE);
    ConfigValueException.requireInRange("batchSize", batchSize, 1, 1 << 20);
    if (trainSamples != null) {
      ConfigValueException.requireInRange("trainSamples", trainSamples, 1, Integer.MAX_VALUE);
    }
    if (testSamples != null) {
      ConfigValueException.requireInRange("testSamples", testSamples, 1, Integer.MAX_VALUE);
    }
    augment = Choices.orDefault(augment, false);
  }

  /**
   * @param dataset the dataset with its options spelled out
   * @return this section with that dataset
   */
  public DataConfig withDataset(ComponentSpec dataset) {
    return new DataConfig(dataset, batchSize, trainSamples, testSamples, augment);
  }
}
