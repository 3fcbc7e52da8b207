package org.efqat.models.data;

import static java.util.Objects.requireNonNull;

import java.util.SplittableRandom;

/**
 * Images of uniform random pixels with random labels: no signal to learn, only shapes, for timing
 * models on inputs of any size.
 */
public final class RandomImages {
  private RandomImages() {}

  /**
   * Draws {@code samples} images: first every pixel in NHWC order with {@code random.nextFloat()}
   * (uniform in {@code [0, 1)}), then every label with {@code random.nextInt(classes)}.
   *
   * @param name the dataset's name
   * @param side image rows and columns
   * @param channels values per pixel
   * @param classes the number of classes
   * @param samples the number of images
   * @param random the stream
   * @return {@code samples x side x side x channels}
   */
  public static ImageDataset generate(
      String name, int side, int channels, int classes, int samples, SplittableRandom random) {
    requireNonNull(random, "random is null");
    int imageSize = Math.multiplyExact(Math.multiplyExact(side, side), channels);
    float[] pixels = new float[Math.multiplyExact(samples, imageSize)];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = random.nextFloat();
    }
    int[] labels = new int[samples];
    for (int i = 0; i < samples; i++) {
      labels[i] = random.nextInt(classes);
    }
    return ImageDataset.wrap(name, side, side, channels, classes, pixels, labels);
  }
}
