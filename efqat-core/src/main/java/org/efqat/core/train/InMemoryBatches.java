package org.efqat.core.train;

import java.util.SplittableRandom;

/**
 * Mini-batches from arrays in memory, in a seeded random order per epoch (or in order without a
 * random stream). No augmentation.
 */
public final class InMemoryBatches implements Batches {
  private final float[] images;
  private final int[] labels;
  private final int sampleSize;
  private final int batchSize;
  private final SplittableRandom random;
  private final int[] order;
  private int cursor;

  /**
   * @param images NHWC pixels of every sample, {@code samples·sampleSize} values
   * @param labels one label per sample
   * @param sampleSize values per sample ({@code h·w·c})
   * @param batchSize samples per batch
   * @param random the shuffling stream, or {@code null} to keep the order
   */
  public InMemoryBatches(
      float[] images, int[] labels, int sampleSize, int batchSize, SplittableRandom random) {
    if ((long) labels.length * sampleSize != images.length) {
      throw new IllegalArgumentException(
          images.length + " pixels for " + labels.length + " samples of " + sampleSize);
    }
    this.images = images;
    this.labels = labels;
    this.sampleSize = sampleSize;
    this.batchSize = batchSize;
    this.random = random;
    this.order = new int[labels.length];
  }

  @Override
  public int batchSize() {
    return batchSize;
  }

  @Override
  public int samplesPerEpoch() {
    return labels.length;
  }

  @Override
  public void startEpoch(int epoch) {
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    if (random != null) {
      for (int i = order.length - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    cursor = 0;
  }

  @Override
  public int next(float[] imagesOut, int[] labelsOut) {
    int n = Math.min(batchSize, order.length - cursor);
    for (int i = 0; i < n; i++) {
      int s = order[cursor + i];
      System.arraycopy(images, s * sampleSize, imagesOut, i * sampleSize, sampleSize);
      labelsOut[i] = labels[s];
    }
    cursor += n;
    return n;
  }
}
