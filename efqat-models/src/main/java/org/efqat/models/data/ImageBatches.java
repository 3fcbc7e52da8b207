package org.efqat.models.data;

import static java.util.Objects.requireNonNull;

import org.efqat.core.train.Batches;

/**
 * A {@link BatchIterator} as the trainer's {@link Batches}: NHWC float images, normalized (and
 * augmented where the iterator does), one epoch at a time.
 *
 * <p>{@link #startEpoch(int)} starts the iterator's next epoch whatever number it is given, as the
 * command line always did: the shuffle of the {@code k}-th call is the iterator's epoch {@code
 * k-1}.
 */
public final class ImageBatches implements Batches {
  private final BatchIterator iterator;

  /**
   * @param iterator the batches; this object drives its epochs from now on
   */
  public ImageBatches(BatchIterator iterator) {
    this.iterator = requireNonNull(iterator, "iterator is null");
  }

  @Override
  public int batchSize() {
    return iterator.batchSize();
  }

  @Override
  public int samplesPerEpoch() {
    return iterator.dataset().size();
  }

  @Override
  public void startEpoch(int epoch) {
    iterator.startEpoch();
  }

  @Override
  public int next(float[] images, int[] labels) {
    return iterator.hasNext() ? iterator.next(images, labels) : 0;
  }

  /**
   * Passes over the next batch without copying pixels, drawing the same random numbers as {@link
   * #next} (see {@link BatchIterator#skip()}).
   *
   * @param images not written
   * @param labels not written
   * @return the samples skipped; 0 when the epoch is over
   */
  @Override
  public int skip(float[] images, int[] labels) {
    return iterator.hasNext() ? iterator.skip() : 0;
  }

  /**
   * @return the iterator, for its epoch count and buffer sizes
   */
  public BatchIterator iterator() {
    return iterator;
  }
}
