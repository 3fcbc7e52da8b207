package org.efqat.models.data;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable labelled image dataset held in memory.
 *
 * <p>Shapes and units:
 *
 * <ul>
 *   <li>{@code size()} images of {@code height() x width() x channels()}, stored as one {@code
 *       float} array in NHWC order: the value of image {@code i}, row {@code y}, column {@code x},
 *       channel {@code c} is at {@code ((i * height + y) * width + x) * channels + c}.
 *   <li>Pixel values are raw intensities scaled to {@code [0, 1]} (the readers store {@code
 *       unsigned byte / 255}); no normalization is applied (see {@link Normalization}).
 *   <li>Labels are class indices in {@code [0, classes())}.
 * </ul>
 *
 * <p>Immutability: the factory {@link #of} copies its arrays, and no accessor hands out the
 * internal arrays. On hot paths use {@link #copyImage(int, float[], int)} (one {@code
 * System.arraycopy}) or {@link #pixelView()} (a read-only view, no copy); {@link #pixels()} copies
 * the whole dataset.
 */
public final class ImageDataset {
  private static final float[] BYTE_TO_UNIT = new float[256];

  static {
    for (int i = 0; i < 256; i++) {
      BYTE_TO_UNIT[i] = i / 255f;
    }
  }

  private final String name;
  private final int height;
  private final int width;
  private final int channels;
  private final int classes;
  private final int imageSize;
  private final float[] pixels;
  private final int[] labels;

  private ImageDataset(
      String name, int height, int width, int channels, int classes, float[] pixels, int[] labels) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name is blank");
    }
    if (height < 1 || width < 1 || channels < 1) {
      throw new IllegalArgumentException(
          "image shape must be positive, got " + height + "x" + width + "x" + channels);
    }
    if (classes < 1) {
      throw new IllegalArgumentException("classes must be at least 1, got " + classes);
    }
    int size = Math.multiplyExact(Math.multiplyExact(height, width), channels);
    long expected = (long) labels.length * size;
    if (pixels.length != expected) {
      throw new IllegalArgumentException(
          name
              + ": "
              + labels.length
              + " labels need "
              + expected
              + " pixel values ("
              + height
              + "x"
              + width
              + "x"
              + channels
              + " each), got "
              + pixels.length);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException(
            name + ": label " + labels[i] + " at index " + i + " is outside 0.." + (classes - 1));
      }
    }
    this.name = name;
    this.height = height;
    this.width = width;
    this.channels = channels;
    this.classes = classes;
    this.imageSize = size;
    this.pixels = pixels;
    this.labels = labels;
  }

  /**
   * A dataset from copies of the given arrays.
   *
   * @param name a short name for logs and reports, for example {@code "fashion-mnist/train"}
   * @param height image rows
   * @param width image columns
   * @param channels values per pixel (1 for grey, 3 for RGB)
   * @param classes number of classes; every label must be in {@code [0, classes)}
   * @param pixels NHWC values, {@code labels.length * height * width * channels} of them,
   *     conventionally in {@code [0, 1]}
   * @param labels one class index per image
   * @return the dataset
   * @throws IllegalArgumentException if the lengths disagree or a label is out of range
   */
  public static ImageDataset of(
      String name, int height, int width, int channels, int classes, float[] pixels, int[] labels) {
    return new ImageDataset(name, height, width, channels, classes, pixels.clone(), labels.clone());
  }

  /** Like {@link #of} but takes ownership of the arrays (no copy); for the readers. */
  static ImageDataset wrap(
      String name, int height, int width, int channels, int classes, float[] pixels, int[] labels) {
    return new ImageDataset(name, height, width, channels, classes, pixels, labels);
  }

  /** {@code unsigned byte / 255} as a float, exactly as the readers store it. */
  static float unit(byte b) {
    return BYTE_TO_UNIT[b & 0xff];
  }

  /**
   * @return the dataset's name, for logs and reports
   */
  public String name() {
    return name;
  }

  /**
   * @return the number of images
   */
  public int size() {
    return labels.length;
  }

  /**
   * @return rows per image
   */
  public int height() {
    return height;
  }

  /**
   * @return columns per image
   */
  public int width() {
    return width;
  }

  /**
   * @return values per pixel
   */
  public int channels() {
    return channels;
  }

  /**
   * @return the number of classes; labels are in {@code [0, classes())}
   */
  public int classes() {
    return classes;
  }

  /**
   * @return {@code height() * width() * channels()}, the floats per image
   */
  public int imageSize() {
    return imageSize;
  }

  /**
   * @param index the image, {@code 0 <= index < size()}
   * @return its class index
   */
  public int label(int index) {
    return labels[Objects.checkIndex(index, labels.length)];
  }

  /**
   * @return a copy of all labels
   */
  public int[] labels() {
    return labels.clone();
  }

  /**
   * @return how many images each class has, indexed by class
   */
  public int[] classCounts() {
    int[] counts = new int[classes];
    for (int label : labels) {
      counts[label]++;
    }
    return counts;
  }

  /**
   * One value.
   *
   * @param index the image
   * @param y the row, {@code 0 <= y < height()}
   * @param x the column, {@code 0 <= x < width()}
   * @param c the channel, {@code 0 <= c < channels()}
   * @return the value in {@code [0, 1]} (for data from the readers)
   */
  public float pixel(int index, int y, int x, int c) {
    Objects.checkIndex(index, labels.length);
    Objects.checkIndex(y, height);
    Objects.checkIndex(x, width);
    Objects.checkIndex(c, channels);
    return pixels[((index * height + y) * width + x) * channels + c];
  }

  /**
   * Copies one image (HWC, {@link #imageSize()} floats) into {@code dst} at {@code offset}.
   *
   * @param index the image
   * @param dst the destination, for example a batch buffer
   * @param offset where in {@code dst} the image starts
   */
  public void copyImage(int index, float[] dst, int offset) {
    Objects.checkIndex(index, labels.length);
    System.arraycopy(pixels, index * imageSize, dst, offset, imageSize);
  }

  /**
   * @return a read-only NHWC view of all pixels (no copy), positioned at 0
   */
  public FloatBuffer pixelView() {
    return FloatBuffer.wrap(pixels).asReadOnlyBuffer();
  }

  /**
   * @return a copy of all pixels, NHWC; {@code size() * imageSize()} floats
   */
  public float[] pixels() {
    return pixels.clone();
  }

  /** The stored array, for this package's hot paths only; never modified. */
  float[] rawPixels() {
    return pixels;
  }

  /**
   * The first {@code n} images (or all of them if there are fewer), with the same name, shape and
   * number of classes.
   *
   * @param n how many images to keep, {@code >= 0}
   * @return this dataset if {@code n >= size()}, else a new one holding a copy of the first {@code
   *     n} images
   */
  public ImageDataset head(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("head(" + n + "): n must be >= 0");
    }
    if (n >= labels.length) {
      return this;
    }
    return new ImageDataset(
        name,
        height,
        width,
        channels,
        classes,
        Arrays.copyOf(pixels, n * imageSize),
        Arrays.copyOf(labels, n));
  }

  @Override
  public String toString() {
    return name
        + "["
        + size()
        + " x "
        + height
        + "x"
        + width
        + "x"
        + channels
        + ", "
        + classes
        + " classes]";
  }
}
