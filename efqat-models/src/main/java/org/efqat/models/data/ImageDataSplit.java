package org.efqat.models.data;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.SplittableRandom;
import org.efqat.core.data.InputFile;
import org.efqat.core.data.LoadedDataset;
import org.efqat.core.nn.FeatureShape;

/**
 * An image classification dataset in memory as efqat-core sees it: a {@link TrainTestSplit} with
 * the normalization and the training augmentation that belong to it, and the files it was read
 * from.
 *
 * <p>Batches are made exactly as the command line made them before datasets were components:
 * training batches are {@code BatchIterator.builder(train, batchSize).shuffle(random)
 * .normalize(normalization)}, plus {@code .augment(augmentation, random.split())} when asked, in
 * that order (so a stream gives the same batches as before); test batches are the test split in
 * order, normalized.
 */
public final class ImageDataSplit implements LoadedDataset {
  private final String name;
  private final TrainTestSplit split;
  private final Normalization normalization;
  private final Augmentation augmentation;
  private final List<InputFile> inputFiles;

  /**
   * @param name the dataset's name, for logs
   * @param split the data
   * @param normalization applied to every batch; must fit the channels
   * @param augmentation the training augmentation, used when {@link #trainBatches} asks for it
   * @param inputFiles the files the data were read from; empty for generated data
   */
  public ImageDataSplit(
      String name,
      TrainTestSplit split,
      Normalization normalization,
      Augmentation augmentation,
      List<InputFile> inputFiles) {
    this.name = requireNonNull(name, "name is null");
    this.split = requireNonNull(split, "split is null");
    this.normalization = requireNonNull(normalization, "normalization is null");
    this.augmentation = requireNonNull(augmentation, "augmentation is null");
    this.inputFiles = List.copyOf(requireNonNull(inputFiles, "inputFiles is null"));
    if (!normalization.fits(split.train().channels())) {
      throw new IllegalArgumentException(
          name + ": " + normalization + " does not fit " + split.train().channels() + " channels");
    }
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * @return the training and test images
   */
  public TrainTestSplit split() {
    return split;
  }

  /**
   * @return the normalization applied to every batch
   */
  public Normalization normalization() {
    return normalization;
  }

  /**
   * @return the training augmentation
   */
  public Augmentation augmentation() {
    return augmentation;
  }

  @Override
  public FeatureShape sampleShape() {
    ImageDataset train = split.train();
    return new FeatureShape(1, train.height(), train.width(), train.channels());
  }

  @Override
  public int classes() {
    return split.train().classes();
  }

  @Override
  public int trainSize() {
    return split.train().size();
  }

  @Override
  public int testSize() {
    return split.test().size();
  }

  @Override
  public ImageDataSplit head(Integer trainSamples, Integer testSamples) {
    return new ImageDataSplit(
        name, split.head(trainSamples, testSamples), normalization, augmentation, inputFiles);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if {@code augment} is asked without a stream
   */
  @Override
  public ImageBatches trainBatches(int batchSize, SplittableRandom random, boolean augment) {
    BatchIterator.Builder b = BatchIterator.builder(split.train(), batchSize);
    if (random != null) {
      b.shuffle(random);
    }
    b.normalize(normalization);
    if (augment) {
      if (random == null) {
        throw new IllegalArgumentException(
            name + ": augmentation needs a random stream, but none was given");
      }
      b.augment(augmentation, random.split());
    }
    return new ImageBatches(b.build());
  }

  @Override
  public ImageBatches testBatches(int batchSize) {
    return new ImageBatches(
        BatchIterator.builder(split.test(), batchSize).normalize(normalization).build());
  }

  @Override
  public List<InputFile> inputFiles() {
    return inputFiles;
  }

  @Override
  public String toString() {
    return name + "[train " + split.train() + ", test " + split.test() + "]";
  }
}
