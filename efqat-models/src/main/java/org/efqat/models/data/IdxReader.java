package org.efqat.models.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads image and label files in the IDX format of MNIST and Fashion-MNIST into an {@link
 * ImageDataset} of {@code rows x cols x 1} grey images.
 *
 * <p>The format (all integers big-endian):
 *
 * <ul>
 *   <li>images: magic {@code 0x00000803} (unsigned bytes, 3 dimensions), {@code int count}, {@code
 *       int rows}, {@code int cols}, then {@code count * rows * cols} unsigned bytes, row by row;
 *   <li>labels: magic {@code 0x00000801} (unsigned bytes, 1 dimension), {@code int count}, then
 *       {@code count} unsigned bytes.
 * </ul>
 *
 * <p>Files may be plain or gzip-compressed; gzip is recognised by its first two bytes ({@code 1f
 * 8b}), never by the file name. Pixels are stored as {@code byte / 255}. Any problem (wrong magic,
 * truncated data, trailing data, image and label counts that differ, a label outside {@code [0,
 * classes)}) is a {@link DatasetException} with one line naming the file and what was expected.
 */
public final class IdxReader {
  /** Magic number of an IDX file of unsigned bytes with 3 dimensions (images). */
  public static final int IMAGES_MAGIC = 0x00000803;

  /** Magic number of an IDX file of unsigned bytes with 1 dimension (labels). */
  public static final int LABELS_MAGIC = 0x00000801;

  private IdxReader() {}

  /**
   * Reads an image file and its label file.
   *
   * @param name the dataset's name
   * @param images the IDX image file, plain or gzip
   * @param labels the IDX label file, plain or gzip
   * @param classes the number of classes; every label must be below it
   * @return the dataset, {@code count x rows x cols x 1}, pixels in {@code [0, 1]}
   * @throws DatasetException if a file is missing or not what the format requires
   * @throws IOException on other read failures
   */
  public static ImageDataset read(String name, Path images, Path labels, int classes)
      throws IOException {
    checkClasses(classes);
    try (InputStream imageIn = DataStreams.openMaybeGunzip(images);
        InputStream labelIn = DataStreams.openMaybeGunzip(labels)) {
      return decode(name, imageIn, images.toString(), labelIn, labels.toString(), classes);
    }
  }

  /**
   * Reads an image stream and its label stream. The streams are read to their end but not closed.
   *
   * @param name the dataset's name
   * @param images the IDX image data, plain or gzip
   * @param imagesSource what to call the image stream in error messages (a file name, a URL)
   * @param labels the IDX label data, plain or gzip
   * @param labelsSource what to call the label stream in error messages
   * @param classes the number of classes; every label must be below it
   * @return the dataset, {@code count x rows x cols x 1}, pixels in {@code [0, 1]}
   * @throws DatasetException if the data is not what the format requires
   */
  public static ImageDataset read(
      String name,
      InputStream images,
      String imagesSource,
      InputStream labels,
      String labelsSource,
      int classes)
      throws DatasetException {
    checkClasses(classes);
    return decode(
        name,
        DataStreams.maybeGunzip(images, imagesSource),
        imagesSource,
        DataStreams.maybeGunzip(labels, labelsSource),
        labelsSource,
        classes);
  }

  private static void checkClasses(int classes) {
    if (classes < 1 || classes > 256) {
      throw new IllegalArgumentException("classes must be in 1..256, got " + classes);
    }
  }

  /** Reads streams that are already decompressed. */
  private static ImageDataset decode(
      String name,
      InputStream images,
      String imagesSource,
      InputStream labels,
      String labelsSource,
      int classes)
      throws DatasetException {
    Objects.requireNonNull(name, "name");
    Images read = readImages(images, imagesSource);
    byte[] labelBytes = readLabels(labels, labelsSource);
    if (labelBytes.length != read.count) {
      throw new DatasetException(
          imagesSource
              + " holds "
              + read.count
              + " images but "
              + labelsSource
              + " holds "
              + labelBytes.length
              + " labels");
    }
    int[] labelInts = new int[labelBytes.length];
    for (int i = 0; i < labelBytes.length; i++) {
      int label = labelBytes[i] & 0xff;
      if (label >= classes) {
        throw new DatasetException(
            labelsSource
                + ": label "
                + label
                + " at index "
                + i
                + " is outside 0.."
                + (classes - 1)
                + " ("
                + classes
                + " classes)");
      }
      labelInts[i] = label;
    }
    float[] pixels = new float[read.data.length];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = ImageDataset.unit(read.data[i]);
    }
    return ImageDataset.wrap(name, read.rows, read.cols, 1, classes, pixels, labelInts);
  }

  private static final class Images {
    final int count;
    final int rows;
    final int cols;
    final byte[] data;

    Images(int count, int rows, int cols, byte[] data) {
      this.count = count;
      this.rows = rows;
      this.cols = cols;
      this.data = data;
    }
  }

  private static Images readImages(InputStream in, String source) throws DatasetException {
    byte[] header = DataStreams.readUpTo(in, 16, source);
    if (header.length >= 4) {
      checkMagic(source, intAt(header, 0), IMAGES_MAGIC, "image", "3 dimensions");
    }
    if (header.length < 16) {
      throw new DatasetException(
          source + ": truncated: an IDX image header has 16 bytes, found " + header.length);
    }
    int count = intAt(header, 4);
    int rows = intAt(header, 8);
    int cols = intAt(header, 12);
    if (count < 0 || rows < 1 || cols < 1) {
      throw new DatasetException(
          source + ": invalid IDX image dimensions " + count + " x " + rows + " x " + cols);
    }
    long imageBytes = (long) rows * cols;
    if (imageBytes > Integer.MAX_VALUE) {
      throw new DatasetException(
          source
              + ": IDX images of "
              + rows
              + "x"
              + cols
              + " are too large to hold ("
              + imageBytes
              + " pixels each)");
    }
    long bytes = count * imageBytes; // below 2^62: no overflow
    if (bytes > Integer.MAX_VALUE - 16) {
      throw new DatasetException(
          source
              + ": "
              + count
              + " images of "
              + rows
              + "x"
              + cols
              + " are too many to hold ("
              + bytes
              + " bytes)");
    }
    byte[] data = DataStreams.readUpTo(in, (int) bytes, source);
    if (data.length < bytes) {
      throw new DatasetException(
          source
              + ": truncated: the header declares "
              + count
              + " images of "
              + rows
              + "x"
              + cols
              + " ("
              + bytes
              + " bytes), found "
              + data.length
              + " bytes");
    }
    if (DataStreams.hasMore(in, source)) {
      throw new DatasetException(
          source
              + ": unexpected data after the "
              + count
              + " images of "
              + rows
              + "x"
              + cols
              + " that the header declares");
    }
    return new Images(count, rows, cols, data);
  }

  private static byte[] readLabels(InputStream in, String source) throws DatasetException {
    byte[] header = DataStreams.readUpTo(in, 8, source);
    if (header.length >= 4) {
      checkMagic(source, intAt(header, 0), LABELS_MAGIC, "label", "1 dimension");
    }
    if (header.length < 8) {
      throw new DatasetException(
          source + ": truncated: an IDX label header has 8 bytes, found " + header.length);
    }
    int count = intAt(header, 4);
    if (count < 0) {
      throw new DatasetException(source + ": invalid IDX label count " + count);
    }
    byte[] data = DataStreams.readUpTo(in, count, source);
    if (data.length < count) {
      throw new DatasetException(
          source + ": truncated: the header declares " + count + " labels, found " + data.length);
    }
    if (DataStreams.hasMore(in, source)) {
      throw new DatasetException(
          source + ": unexpected data after the " + count + " labels that the header declares");
    }
    return data;
  }

  private static void checkMagic(
      String source, int magic, int expected, String kind, String dimensions)
      throws DatasetException {
    if (magic != expected) {
      String hint = "";
      if (magic == LABELS_MAGIC) {
        hint = "; this looks like a label file";
      } else if (magic == IMAGES_MAGIC) {
        hint = "; this looks like an image file";
      }
      throw new DatasetException(
          String.format(
              "%s: not an IDX %s file: magic 0x%08x, expected 0x%08x (unsigned bytes, %s)%s",
              source, kind, magic, expected, dimensions, hint));
    }
  }

  private static int intAt(byte[] b, int offset) {
    return ((b[offset] & 0xff) << 24)
        | ((b[offset + 1] & 0xff) << 16)
        | ((b[offset + 2] & 0xff) << 8)
        | (b[offset + 3] & 0xff);
  }
}
