package org.efqat.models.data;

import java.util.Objects;

/**
 * A training set and a test set with the same image shape ({@code H x W x C}) and the same number
 * of classes.
 *
 * @param train the training set
 * @param test the test set
 */
public record TrainTestSplit(ImageDataset train, ImageDataset test) {
  /** Checks that the two sets have the same shape and classes. */
  public TrainTestSplit {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(test, "test");
    if (train.height() != test.height()
        || train.width() != test.width()
        || train.channels() != test.channels()
        || train.classes() != test.classes()) {
      throw new IllegalArgumentException(
          "train and test differ in shape or classes: " + train + " vs " + test);
    }
  }

  /**
   * The first samples of each set ({@link ImageDataset#head}).
   *
   * @param trainSamples at most this many training samples, or {@code null} for all
   * @param testSamples at most this many test samples, or {@code null} for all
   * @return the shortened split
   */
  public TrainTestSplit head(Integer trainSamples, Integer testSamples) {
    return new TrainTestSplit(
        trainSamples == null ? train : train.head(trainSamples),
        testSamples == null ? test : test.head(testSamples));
  }
}
