package org.efqat.models.data;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A seeded, learnable toy classification task: every class is a fixed random template image, and
 * every sample is its class's template plus Gaussian noise, clipped to {@code [0, 1]}.
 *
 * <p>Precisely, for {@code h x w x c} images and {@code k} classes:
 *
 * <ol>
 *   <li>Templates (constructor): for class {@code 0..k-1} in order, every value of the template
 *       (NHWC order) is {@code random.nextDouble()}, uniform in {@code [0, 1)}.
 *   <li>Labels ({@link #sample}): {@code i % k} for {@code i = 0..n-1}, then shuffled with a
 *       Fisher-Yates shuffle ({@code j = random.nextInt(i + 1)} for {@code i = n-1..1}), so the
 *       classes are balanced to within one sample.
 *   <li>Pixels: for each sample in order, for each value in NHWC order, {@code clamp(template +
 *       noise * g, 0, 1)} where {@code g} is a standard normal from the Box-Muller transform:
 *       {@code u1 = 1 - random.nextDouble()}, {@code u2 = random.nextDouble()}, {@code r = sqrt(-2
 *       ln u1)}, giving {@code r cos(2 pi u2)} for one value and {@code r sin(2 pi u2)} for the
 *       next (computed with {@link StrictMath}, so the same seed gives bit-identical data on every
 *       JVM).
 * </ol>
 *
 * <p>The task is easy (the templates are far apart in many dimensions; a linear model separates
 * them almost perfectly at the default noise on 28x28 images), which is the point: it is for smoke
 * tests, benchmarks and checking that training moves the loss, not for accuracy claims. Use the
 * same {@code SyntheticDataset} (same templates) to draw a training and a test set.
 */
public final class SyntheticDataset {
  /** The default noise standard deviation, in pixel units ({@code [0, 1]} scale). */
  public static final double DEFAULT_NOISE = 0.5;

  private final int height;
  private final int width;
  private final int channels;
  private final int classes;
  private final double noise;
  private final float[][] templates;

  /**
   * Draws the class templates.
   *
   * @param height image rows
   * @param width image columns
   * @param channels values per pixel
   * @param classes number of classes
   * @param noise standard deviation of the per-value Gaussian noise, {@code >= 0}
   * @param random the generator the templates are drawn from
   */
  public SyntheticDataset(
      int height, int width, int channels, int classes, double noise, SplittableRandom random) {
    if (height < 1 || width < 1 || channels < 1) {
      throw new IllegalArgumentException(
          "image shape must be positive, got " + height + "x" + width + "x" + channels);
    }
    if (classes < 1) {
      throw new IllegalArgumentException("classes must be at least 1, got " + classes);
    }
    if (!(noise >= 0) || Double.isInfinite(noise)) {
      throw new IllegalArgumentException("noise must be finite and >= 0, got " + noise);
    }
    Objects.requireNonNull(random, "random");
    this.height = height;
    this.width = width;
    this.channels = channels;
    this.classes = classes;
    this.noise = noise;
    int size = Math.multiplyExact(Math.multiplyExact(height, width), channels);
    this.templates = new float[classes][size];
    for (float[] template : templates) {
      for (int j = 0; j < size; j++) {
        template[j] = (float) random.nextDouble();
      }
    }
  }

  /**
   * Templates and {@code n} samples from one generator, with the {@link #DEFAULT_NOISE}: {@code new
   * SyntheticDataset(h, w, c, classes, DEFAULT_NOISE, random).sample("synthetic", n, random)}.
   *
   * @param n number of samples
   * @param h image rows
   * @param w image columns
   * @param c values per pixel
   * @param classes number of classes
   * @param random the generator
   * @return the dataset, named {@code "synthetic"}
   */
  public static ImageDataset generate(
      int n, int h, int w, int c, int classes, SplittableRandom random) {
    return new SyntheticDataset(h, w, c, classes, DEFAULT_NOISE, random)
        .sample("synthetic", n, random);
  }

  /**
   * Draws {@code n} labelled samples from these templates.
   *
   * @param name the dataset's name
   * @param n number of samples, {@code >= 0}
   * @param random the generator for labels and noise
   * @return the dataset, {@code n x height x width x channels}, values in {@code [0, 1]}
   */
  public ImageDataset sample(String name, int n, SplittableRandom random) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, got " + n);
    }
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % classes;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = labels[i];
      labels[i] = labels[j];
      labels[j] = t;
    }
    int size = templates[0].length;
    float[] pixels = new float[Math.multiplyExact(n, size)];
    GaussianPairs gaussian = new GaussianPairs(random);
    for (int i = 0; i < n; i++) {
      float[] template = templates[labels[i]];
      int base = i * size;
      for (int j = 0; j < size; j++) {
        double v = template[j] + noise * gaussian.next();
        pixels[base + j] = (float) Math.min(1.0, Math.max(0.0, v));
      }
    }
    return ImageDataset.wrap(name, height, width, channels, classes, pixels, labels);
  }

  /**
   * @param cls a class index
   * @return a copy of its template, HWC, values in {@code [0, 1)}
   */
  public float[] template(int cls) {
    return templates[Objects.checkIndex(cls, classes)].clone();
  }

  /**
   * @return the noise standard deviation
   */
  public double noise() {
    return noise;
  }

  /** Standard normals from the Box-Muller transform, both outputs of each pair used. */
  private static final class GaussianPairs {
    private final SplittableRandom random;
    private double spare;
    private boolean hasSpare;

    GaussianPairs(SplittableRandom random) {
      this.random = random;
    }

    double next() {
      if (hasSpare) {
        hasSpare = false;
        return spare;
      }
      double u1 = 1.0 - random.nextDouble(); // (0, 1]: log is finite
      double u2 = random.nextDouble();
      double r = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
      double a = 2.0 * StrictMath.PI * u2;
      spare = r * StrictMath.sin(a);
      hasSpare = true;
      return r * StrictMath.cos(a);
    }
  }
}
