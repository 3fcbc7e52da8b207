package org.efqat.core.train;

/**
 * A source of mini-batches, one epoch at a time: NHWC float images and integer labels written into
 * the caller's reusable arrays.
 */
public interface Batches {
  /**
   * @return the largest batch size
   */
  int batchSize();

  /**
   * @return the samples in one epoch
   */
  int samplesPerEpoch();

  /**
   * Starts an epoch (reshuffles and re-augments where the source does).
   *
   * @param epoch the 0-based epoch
   */
  void startEpoch(int epoch);

  /**
   * @param images receives {@code n·h·w·c} pixels, at least {@code batchSize()·h·w·c} long
   * @param labels receives {@code n} labels
   * @return {@code n}, the samples written; 0 when the epoch is over
   */
  int next(float[] images, int[] labels);

  /**
   * Passes over the next batch as {@link #next} would, drawing the same random numbers
   * (augmentation), so that the batches after it are the same; a resumed stage replays its data
   * order this way. The default copies the batch; sources with a cheaper way override it.
   *
   * @param images scratch space as for {@link #next}
   * @param labels scratch space as for {@link #next}
   * @return the samples passed over; 0 when the epoch is over
   */
  default int skip(float[] images, int[] labels) {
    return next(images, labels);
  }
}
