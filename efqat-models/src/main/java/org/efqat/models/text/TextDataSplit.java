package org.efqat.models.text;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.efqat.core.data.InputFile;
import org.efqat.core.data.LoadedDataset;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.train.Batches;
import org.efqat.core.train.InMemoryBatches;
import org.efqat.models.data.DatasetException;

/**
 * A text classification dataset in memory as efqat-core sees it: token-id sequences with integer
 * labels.
 *
 * <p>A sample is a {@link FeatureShape} {@code [1, 1, maxLength, 1]}: {@code maxLength} WordPiece
 * ids stored as {@code float} (exact up to 2<sup>24</sup>; the vocabulary has 30,522), {@code [CLS]
 * ... [SEP]} then {@code 0} ({@code [PAD]}) to the end; the attention mask is {@code id != 0}. No
 * normalization is applied, and there is no augmentation: {@code trainBatches(..., augment = true)}
 * is an error. Training batches are shuffled by the given stream each epoch ({@link
 * InMemoryBatches}); test batches are in order.
 */
public final class TextDataSplit implements LoadedDataset {
  private final String name;
  private final int maxLength;
  private final int classes;
  private final float[] trainIds;
  private final int[] trainLabels;
  private final float[] testIds;
  private final int[] testLabels;
  private final List<InputFile> inputFiles;

  /**
   * @param name the dataset's name, for logs and messages
   * @param maxLength ids per sample
   * @param classes the number of classes; every label is in {@code [0, classes)}
   * @param trainIds training ids, {@code trainLabels.length · maxLength}
   * @param trainLabels training labels
   * @param testIds test ids, {@code testLabels.length · maxLength}
   * @param testLabels test labels
   * @param inputFiles the files the data were read from (and the tokenizer's), for provenance
   */
  public TextDataSplit(
      String name,
      int maxLength,
      int classes,
      float[] trainIds,
      int[] trainLabels,
      float[] testIds,
      int[] testLabels,
      List<InputFile> inputFiles) {
    this.name = requireNonNull(name, "name is null");
    this.maxLength = maxLength;
    this.classes = classes;
    this.trainIds = requireNonNull(trainIds, "trainIds is null");
    this.trainLabels = requireNonNull(trainLabels, "trainLabels is null");
    this.testIds = requireNonNull(testIds, "testIds is null");
    this.testLabels = requireNonNull(testLabels, "testLabels is null");
    this.inputFiles = List.copyOf(requireNonNull(inputFiles, "inputFiles is null"));
    check(trainIds, trainLabels, "train");
    check(testIds, testLabels, "test");
  }

  /**
   * Splits examples into training and test sets at random: a Fisher-Yates permutation drawn from
   * {@code random}, whose first {@code round(n · testFraction)} examples are the test split and the
   * rest the training split, both in permuted order (so {@link #head} takes a random subset).
   *
   * @param name the dataset's name
   * @param maxLength ids per sample
   * @param classes the number of classes
   * @param ids {@code labels.length · maxLength} ids
   * @param labels one label per example
   * @param testFraction the share of the test split, in {@code (0, 1)}
   * @param random the stream of the permutation
   * @param inputFiles the files read, for provenance
   * @return the split
   * @throws DatasetException if either split would be empty
   */
  public static TextDataSplit split(
      String name,
      int maxLength,
      int classes,
      float[] ids,
      int[] labels,
      double testFraction,
      SplittableRandom random,
      List<InputFile> inputFiles)
      throws DatasetException {
    int n = labels.length;
    int test = (int) Math.round(n * testFraction);
    if (test < 1 || test >= n) {
      throw new DatasetException(
          name
              + ": testFraction "
              + testFraction
              + " of "
              + n
              + " examples leaves an empty "
              + (test < 1 ? "test" : "training")
              + " split");
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    float[] testIds = new float[test * maxLength];
    int[] testLabels = new int[test];
    float[] trainIds = new float[(n - test) * maxLength];
    int[] trainLabels = new int[n - test];
    for (int k = 0; k < n; k++) {
      int s = order[k];
      if (k < test) {
        System.arraycopy(ids, s * maxLength, testIds, k * maxLength, maxLength);
        testLabels[k] = labels[s];
      } else {
        System.arraycopy(ids, s * maxLength, trainIds, (k - test) * maxLength, maxLength);
        trainLabels[k - test] = labels[s];
      }
    }
    return new TextDataSplit(
        name, maxLength, classes, trainIds, trainLabels, testIds, testLabels, inputFiles);
  }

  private void check(float[] ids, int[] labels, String split) {
    if ((long) labels.length * maxLength != ids.length) {
      throw new IllegalArgumentException(
          name + " " + split + ": " + ids.length + " ids for " + labels.length + " samples");
    }
    for (int label : labels) {
      if (label < 0 || label >= classes) {
        throw new IllegalArgumentException(
            name + " " + split + ": label " + label + " outside [0, " + classes + ")");
      }
    }
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * @return {@code [1, 1, maxLength, 1]}
   */
  @Override
  public FeatureShape sampleShape() {
    return new FeatureShape(1, 1, maxLength, 1);
  }

  /**
   * @return ids per sample
   */
  public int maxLength() {
    return maxLength;
  }

  @Override
  public int classes() {
    return classes;
  }

  @Override
  public int trainSize() {
    return trainLabels.length;
  }

  @Override
  public int testSize() {
    return testLabels.length;
  }

  /**
   * @return a copy of the training ids, sample after sample
   */
  public float[] trainIds() {
    return trainIds.clone();
  }

  /**
   * @return a copy of the training labels
   */
  public int[] trainLabels() {
    return trainLabels.clone();
  }

  /**
   * @return a copy of the test ids, sample after sample
   */
  public float[] testIds() {
    return testIds.clone();
  }

  /**
   * @return a copy of the test labels
   */
  public int[] testLabels() {
    return testLabels.clone();
  }

  @Override
  public TextDataSplit head(Integer trainSamples, Integer testSamples) {
    int train = cut(trainSamples, trainLabels.length, "trainSamples");
    int test = cut(testSamples, testLabels.length, "testSamples");
    return new TextDataSplit(
        name,
        maxLength,
        classes,
        Arrays.copyOf(trainIds, train * maxLength),
        Arrays.copyOf(trainLabels, train),
        Arrays.copyOf(testIds, test * maxLength),
        Arrays.copyOf(testLabels, test),
        inputFiles);
  }

  private static int cut(Integer n, int size, String what) {
    if (n == null) {
      return size;
    }
    if (n < 0) {
      throw new IllegalArgumentException(what + " must be >= 0 (was " + n + ")");
    }
    return Math.min(n, size);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if {@code augment} is asked: text has no augmentation
   */
  @Override
  public Batches trainBatches(int batchSize, SplittableRandom random, boolean augment) {
    if (augment) {
      throw new IllegalArgumentException(
          name + ": text datasets have no augmentation; set data.augment: false");
    }
    return new InMemoryBatches(trainIds, trainLabels, maxLength, batchSize, random);
  }

  @Override
  public Batches testBatches(int batchSize) {
    return new InMemoryBatches(testIds, testLabels, maxLength, batchSize, null);
  }

  @Override
  public List<InputFile> inputFiles() {
    return inputFiles;
  }

  @Override
  public String toString() {
    return name
        + "[train "
        + trainSize()
        + ", test "
        + testSize()
        + ", maxLength "
        + maxLength
        + "]";
  }
}
