package org.efqat.core.config;

import java.util.List;
import org.efqat.api.spi.ConfigValueException;

/**
 * {@code data:} the dataset.
 *
 * @param dataset required: one of {@link #DATASETS}; {@code fashion-mnist-sample} is the small
 *     sample bundled with efqat-models
 * @param path where the files are (IDX or CIFAR binary folder); when absent, the dataset's
 *     environment variable or the Debian package's location is used
 * @param batchSize samples per training step; default {@value #DEFAULT_BATCH_SIZE}
 * @param trainSamples use only the first this many training samples; default all
 * @param testSamples use only the first this many test samples; default all
 * @param augment random flips and crops during training (seeded); default {@code false}
 */
public record DataConfig(
    String dataset,
    String path,
    Integer batchSize,
    Integer trainSamples,
    Integer testSamples,
    Boolean augment) {
  /** The datasets efqat-models reads. */
  public static final List<String> DATASETS =
      List.of("fashion-mnist-sample", "fashion-mnist", "mnist", "cifar10", "synthetic");

  /** The default batch size. */
  public static final int DEFAULT_BATCH_SIZE = 128;

  /** Validates and applies defaults. */
  public DataConfig {
    dataset = Choices.oneOf("dataset", dataset, null, DATASETS);
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
}
