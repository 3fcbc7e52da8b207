package org.efqat.models.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads the binary version of CIFAR-10 ({@code cifar-10-binary.tar.gz}, folder {@code
 * cifar-10-batches-bin}) into an {@link ImageDataset} of {@code 32 x 32 x 3} images, NHWC.
 *
 * <p>A batch file is a sequence of {@value #RECORD_BYTES}-byte records: one label byte ({@code
 * 0..9}) then 3072 pixel bytes in CHW order (the 1024 red values of the 32x32 image row by row,
 * then the 1024 green, then the 1024 blue). The reader transposes each record to HWC, so value
 * {@code (c, y, x)} of record {@code r} lands at {@code ((r * 32 + y) * 32 + x) * 3 + c}, and
 * scales it to {@code byte / 255}.
 *
 * <p>The training set is {@link #TRAIN_FILES} (50,000 images), the test set {@link #TEST_FILES}
 * (10,000). Files may also be gzip-compressed (recognised by content). A file whose length is not a
 * positive multiple of {@value #RECORD_BYTES} or that holds a label above 9 is a {@link
 * DatasetException} naming it.
 */
public final class Cifar10Reader {
  /** Image side, in pixels. */
  public static final int SIDE = 32;

  /** Channels (RGB). */
  public static final int CHANNELS = 3;

  /** Classes. */
  public static final int CLASSES = 10;

  /** Bytes per record: 1 label byte + 3 x 32 x 32 pixel bytes. */
  public static final int RECORD_BYTES = 1 + CHANNELS * SIDE * SIDE;

  /** The training batches, in the order they are concatenated. */
  public static final List<String> TRAIN_FILES =
      List.of(
          "data_batch_1.bin",
          "data_batch_2.bin",
          "data_batch_3.bin",
          "data_batch_4.bin",
          "data_batch_5.bin");

  /** The test batch. */
  public static final List<String> TEST_FILES = List.of("test_batch.bin");

  /** The class names, by label ({@code batches.meta.txt}). */
  public static final List<String> CLASS_NAMES =
      List.of(
          "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

  private Cifar10Reader() {}

  /**
   * Reads batch files and concatenates them in the order given.
   *
   * @param name the dataset's name
   * @param batches the batch files, at least one
   * @return the dataset, {@code N x 32 x 32 x 3}, pixels in {@code [0, 1]}
   * @throws DatasetException if a file is missing or not a whole number of records, or holds a
   *     label above 9
   * @throws IOException on other read failures
   */
  public static ImageDataset read(String name, List<Path> batches) throws IOException {
    Objects.requireNonNull(name, "name");
    if (batches.isEmpty()) {
      throw new IllegalArgumentException("no CIFAR-10 batch files given");
    }
    List<byte[]> contents = new ArrayList<>(batches.size());
    List<String> sources = new ArrayList<>(batches.size());
    for (Path batch : batches) {
      try (InputStream in = DataStreams.openMaybeGunzip(batch)) {
        contents.add(DataStreams.readAll(in, batch.toString()));
      }
      sources.add(batch.toString());
    }
    return decode(name, contents, sources);
  }

  /**
   * Reads one batch from a stream (read to its end, not closed).
   *
   * @param name the dataset's name
   * @param in the batch's bytes, plain or gzip
   * @param source what to call the stream in error messages
   * @return the dataset, {@code N x 32 x 32 x 3}, pixels in {@code [0, 1]}
   * @throws DatasetException if the data is not a whole number of records or holds a label above 9
   */
  public static ImageDataset read(String name, InputStream in, String source)
      throws DatasetException {
    Objects.requireNonNull(name, "name");
    byte[] bytes = DataStreams.readAll(DataStreams.maybeGunzip(in, source), source);
    return decode(name, List.of(bytes), List.of(source));
  }

  private static ImageDataset decode(String name, List<byte[]> contents, List<String> sources)
      throws DatasetException {
    long total = 0;
    for (int f = 0; f < contents.size(); f++) {
      int length = contents.get(f).length;
      if (length == 0 || length % RECORD_BYTES != 0) {
        throw new DatasetException(
            sources.get(f)
                + ": "
                + length
                + " bytes is not a whole, non-zero number of "
                + RECORD_BYTES
                + "-byte CIFAR-10 records (1 label byte + 3072 pixel bytes)");
      }
      total += length / RECORD_BYTES;
    }
    int imageSize = RECORD_BYTES - 1;
    if (total * imageSize > Integer.MAX_VALUE - 8) {
      throw new DatasetException(
          String.join(", ", sources) + ": " + total + " records are too many to hold");
    }
    int count = (int) total;
    float[] pixels = new float[count * imageSize];
    int[] labels = new int[count];
    int plane = SIDE * SIDE;
    int r = 0;
    for (int f = 0; f < contents.size(); f++) {
      byte[] bytes = contents.get(f);
      for (int at = 0, local = 0; at < bytes.length; at += RECORD_BYTES, local++, r++) {
        int label = bytes[at] & 0xff;
        if (label >= CLASSES) {
          throw new DatasetException(
              sources.get(f)
                  + ": label "
                  + label
                  + " of record "
                  + local
                  + " is outside 0.."
                  + (CLASSES - 1));
        }
        labels[r] = label;
        int dst = r * imageSize;
        for (int c = 0; c < CHANNELS; c++) {
          int src = at + 1 + c * plane;
          for (int p = 0; p < plane; p++) {
            pixels[dst + p * CHANNELS + c] = ImageDataset.unit(bytes[src + p]);
          }
        }
      }
    }
    return ImageDataset.wrap(name, SIDE, SIDE, CHANNELS, CLASSES, pixels, labels);
  }
}
