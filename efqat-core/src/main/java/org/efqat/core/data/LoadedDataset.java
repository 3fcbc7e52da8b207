package org.efqat.core.data;

import java.util.List;
import java.util.SplittableRandom;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.train.Batches;

/**
 * A classification dataset in memory: a training and a test split of NHWC float images with integer
 * labels, with the normalization and augmentation that belong to it.
 *
 * <p><b>Text.</b> A text dataset (for example {@code wordnet-supersenses} in efqat-models) uses the
 * same shapes: a sample is {@code [1, 1, maxLength, 1]} WordPiece token ids stored as floats (exact
 * up to 2<sup>24</sup>), {@code [CLS] ... [SEP]} right-padded with id 0 ({@code [PAD]}); a model's
 * attention mask is {@code id != 0}. Text batches are not normalized, and a text dataset has no
 * augmentation: asking for it is an error.
 */
public interface LoadedDataset {
  /**
   * @return what to call it in logs, for example {@code fashion-mnist}
   */
  String name();

  /**
   * @return one sample's shape {@code [1, h, w, c]}
   */
  FeatureShape sampleShape();

  /**
   * @return the number of classes
   */
  int classes();

  /**
   * @return samples in the training split
   */
  int trainSize();

  /**
   * @return samples in the test split
   */
  int testSize();

  /**
   * The first samples of each split.
   *
   * @param trainSamples training samples to keep, or {@code null} for all
   * @param testSamples test samples to keep, or {@code null} for all
   * @return the cut dataset
   */
  LoadedDataset head(Integer trainSamples, Integer testSamples);

  /**
   * Training batches, normalized.
   *
   * @param batchSize samples per batch
   * @param random the stream of the shuffles (and, split off it, of the augmentation); {@code null}
   *     walks the split in order
   * @param augment whether to apply the dataset's training augmentation (random crops and flips for
   *     images)
   * @return one-epoch-at-a-time batches
   */
  Batches trainBatches(int batchSize, SplittableRandom random, boolean augment);

  /**
   * @param batchSize samples per batch
   * @return the test split in order, normalized, not augmented
   */
  Batches testBatches(int batchSize);

  /**
   * @return the files the data were read from, with sizes and hashes, for provenance and for
   *     refusing to resume a run whose data changed; empty for generated data
   */
  List<InputFile> inputFiles();
}
