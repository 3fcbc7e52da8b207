package org.efqat.models.data;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Walks a dataset epoch by epoch in mini-batches, writing each batch into buffers the caller owns
 * and reuses.
 *
 * <pre>{@code
 * BatchIterator batches = BatchIterator.builder(train, 128)
 *     .shuffle(context.random("data.shuffle"))
 *     .augment(Augmentation.cropAndFlip(4), context.random("data.augment"))
 *     .normalize(Normalization.FASHION_MNIST)
 *     .build();
 * float[] x = new float[batches.imageBufferLength()];   // batchSize x H x W x C, NHWC
 * int[] y = new int[batches.batchSize()];
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *   batches.startEpoch();
 *   for (int n; (n = batches.next(x, y)) > 0; ) {
 *     // the first n images of x (n * H * W * C floats) and the first n labels of y are the batch
 *   }
 * }
 * }</pre>
 *
 * <ul>
 *   <li>An epoch visits every sample exactly once; it has {@code ceil(size / batchSize)} batches,
 *       and the last one holds the remainder ({@link #next} returns its actual size).
 *   <li>Shuffle: at every {@link #startEpoch()} the order is reset to {@code 0..size-1} and
 *       shuffled (Fisher-Yates, {@code j = random.nextInt(i + 1)} for {@code i = size-1..1}) with a
 *       generator split off the given one when the iterator is built, so the order of epoch {@code
 *       e} depends only on that generator's state at {@link Builder#build()} and on {@code e}.
 *       Without shuffle the order is the dataset's.
 *   <li>Augmentation ({@link Augmentation}) draws from its own generator, also split off at build
 *       time, so turning it on does not change the shuffle order.
 *   <li>Normalization ({@link Normalization}) is applied last, to the augmented values.
 * </ul>
 *
 * <p>The dataset itself is never modified. An iterator is not thread-safe.
 */
public final class BatchIterator {
  private final ImageDataset data;
  private final int batchSize;
  private final SplittableRandom shuffleRandom;
  private final Augmentation augmentation;
  private final SplittableRandom augmentRandom;
  private final Normalization normalization;
  private final int[] order;
  private int cursor;
  private int epoch = -1;

  private BatchIterator(Builder b) {
    this.data = b.data;
    this.batchSize = b.batchSize;
    this.shuffleRandom = b.shuffleRandom == null ? null : b.shuffleRandom.split();
    this.augmentation = b.augmentation;
    this.augmentRandom = b.augmentRandom == null ? null : b.augmentRandom.split();
    this.normalization = b.normalization;
    this.order = new int[data.size()];
  }

  /**
   * @param data the dataset to walk
   * @param batchSize samples per batch, {@code >= 1}
   * @return a builder; by default no shuffle, no augmentation, no normalization
   */
  public static Builder builder(ImageDataset data, int batchSize) {
    return new Builder(data, batchSize);
  }

  /** Options of a {@link BatchIterator}. */
  public static final class Builder {
    private final ImageDataset data;
    private final int batchSize;
    private SplittableRandom shuffleRandom;
    private Augmentation augmentation = Augmentation.NONE;
    private SplittableRandom augmentRandom;
    private Normalization normalization = Normalization.NONE;

    private Builder(ImageDataset data, int batchSize) {
      this.data = Objects.requireNonNull(data, "data");
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
      }
      this.batchSize = batchSize;
    }

    /**
     * Shuffles every epoch.
     *
     * @param random the source of the shuffles; {@link #build()} splits a generator off it
     * @return this
     */
    public Builder shuffle(SplittableRandom random) {
      this.shuffleRandom = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Augments every sample.
     *
     * @param augmentation crop and flip settings; {@link Augmentation#NONE} turns it off
     * @param random the source of the crops and flips; {@link #build()} splits a generator off it
     * @return this
     */
    public Builder augment(Augmentation augmentation, SplittableRandom random) {
      this.augmentation = Objects.requireNonNull(augmentation, "augmentation");
      this.augmentRandom = augmentation.isNone() ? null : Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Normalizes every sample.
     *
     * @param normalization per-channel mean and std, with as many channels as the data (or {@link
     *     Normalization#NONE})
     * @return this
     */
    public Builder normalize(Normalization normalization) {
      Objects.requireNonNull(normalization, "normalization");
      if (!normalization.fits(data.channels())) {
        throw new IllegalArgumentException(
            normalization
                + " has "
                + normalization.channels()
                + " channels but "
                + data.name()
                + " has "
                + data.channels());
      }
      this.normalization = normalization;
      return this;
    }

    /**
     * @return the iterator; call {@link BatchIterator#startEpoch()} before the first batch
     */
    public BatchIterator build() {
      return new BatchIterator(this);
    }
  }

  /**
   * @return the dataset walked
   */
  public ImageDataset dataset() {
    return data;
  }

  /**
   * @return samples per full batch
   */
  public int batchSize() {
    return batchSize;
  }

  /**
   * @return {@code batchSize() * imageSize}: the length an image buffer needs
   */
  public int imageBufferLength() {
    return Math.multiplyExact(batchSize, data.imageSize());
  }

  /**
   * @return {@code ceil(size / batchSize)}
   */
  public int batchesPerEpoch() {
    return (data.size() + batchSize - 1) / batchSize;
  }

  /**
   * @return the current epoch, counting from 0; -1 before the first {@link #startEpoch()}
   */
  public int epoch() {
    return epoch;
  }

  /** Starts the next epoch (the first one on the first call): resets the order and shuffles it. */
  public void startEpoch() {
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    if (shuffleRandom != null) {
      for (int i = order.length - 1; i > 0; i--) {
        int j = shuffleRandom.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    cursor = 0;
    epoch++;
  }

  /**
   * @return whether the current epoch has another batch
   */
  public boolean hasNext() {
    return epoch >= 0 && cursor < order.length;
  }

  /**
   * Writes the next batch of the current epoch.
   *
   * @param images at least {@link #imageBufferLength()} floats; receives the batch NHWC from index
   *     0
   * @param labels at least {@link #batchSize()} ints; receives the batch's labels
   * @return the number of samples written: {@code batchSize()}, fewer for the last batch, 0 when
   *     the epoch is over
   */
  public int next(float[] images, int[] labels) {
    return next(images, labels, null);
  }

  /**
   * Like {@link #next(float[], int[])}, also reporting which dataset samples the batch holds.
   *
   * @param images at least {@link #imageBufferLength()} floats
   * @param labels at least {@link #batchSize()} ints
   * @param indices {@code null}, or at least {@link #batchSize()} ints: receives the dataset index
   *     of each sample of the batch
   * @return the number of samples written; 0 when the epoch is over
   */
  public int next(float[] images, int[] labels, int[] indices) {
    if (epoch < 0) {
      throw new IllegalStateException("call startEpoch() before the first batch");
    }
    int imageSize = data.imageSize();
    if (images.length < imageBufferLength()) {
      throw new IllegalArgumentException(
          "image buffer holds "
              + images.length
              + " floats, a batch needs "
              + imageBufferLength()
              + " ("
              + batchSize
              + " x "
              + imageSize
              + ")");
    }
    if (labels.length < batchSize) {
      throw new IllegalArgumentException(
          "label buffer holds " + labels.length + " ints, a batch needs " + batchSize);
    }
    if (indices != null && indices.length < batchSize) {
      throw new IllegalArgumentException(
          "index buffer holds " + indices.length + " ints, a batch needs " + batchSize);
    }
    int n = Math.min(batchSize, order.length - cursor);
    float[] pixels = data.rawPixels();
    int h = data.height();
    int w = data.width();
    int c = data.channels();
    int pad = augmentation.pad();
    for (int k = 0; k < n; k++) {
      int index = order[cursor + k];
      labels[k] = data.label(index);
      if (indices != null) {
        indices[k] = index;
      }
      int dst = k * imageSize;
      if (augmentRandom == null) {
        System.arraycopy(pixels, index * imageSize, images, dst, imageSize);
      } else {
        boolean flip = drawFlip();
        int dy = drawShift(pad);
        int dx = drawShift(pad);
        Augmentation.transform(pixels, index * imageSize, h, w, c, dy, dx, flip, images, dst);
      }
      normalization.apply(images, dst, imageSize);
    }
    cursor += n;
    return n;
  }

  /**
   * Passes over the next batch of the current epoch without writing it: draws the same random
   * numbers as {@link #next(float[], int[])} would (so the batches after it are the same), but
   * copies no pixels.
   *
   * @return the number of samples skipped; 0 when the epoch is over
   */
  public int skip() {
    if (epoch < 0) {
      throw new IllegalStateException("call startEpoch() before the first batch");
    }
    int n = Math.min(batchSize, order.length - cursor);
    if (augmentRandom != null) {
      int pad = augmentation.pad();
      for (int k = 0; k < n; k++) {
        drawFlip();
        drawShift(pad);
        drawShift(pad);
      }
    }
    cursor += n;
    return n;
  }

  /** One sample's flip: a draw only when flips are on. */
  private boolean drawFlip() {
    return augmentation.flip() && augmentRandom.nextBoolean();
  }

  /** One sample's shift in {@code [-pad, pad]}: a draw only when {@code pad > 0}. */
  private int drawShift(int pad) {
    return pad > 0 ? augmentRandom.nextInt(2 * pad + 1) - pad : 0;
  }
}
