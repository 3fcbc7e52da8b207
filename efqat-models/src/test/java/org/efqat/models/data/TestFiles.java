package org.efqat.models.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX and CIFAR-10 files for the tests. */
public final class TestFiles {
  private TestFiles() {}

  /** An IDX image file: magic 0x803, count, rows, cols, then the pixel bytes. */
  public static byte[] idxImages(int count, int rows, int cols, byte[] pixels) {
    ByteBuffer b = ByteBuffer.allocate(16 + pixels.length);
    b.putInt(IdxReader.IMAGES_MAGIC).putInt(count).putInt(rows).putInt(cols).put(pixels);
    return b.array();
  }

  /** An IDX label file: magic 0x801, count, then the label bytes. */
  public static byte[] idxLabels(byte... labels) {
    ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
    b.putInt(IdxReader.LABELS_MAGIC).putInt(labels.length).put(labels);
    return b.array();
  }

  /** {@code n} images of {@code rows x cols}; byte {@code p} of image {@code i} is (i*31+p)%256. */
  public static byte[] pattern(int n, int rows, int cols) {
    byte[] p = new byte[n * rows * cols];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < rows * cols; j++) {
        p[i * rows * cols + j] = (byte) ((i * 31 + j) % 256);
      }
    }
    return p;
  }

  public static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public static Path write(Path file, byte[] data) {
    try {
      Files.createDirectories(file.getParent());
      return Files.write(file, data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes a Fashion-MNIST style folder: {@code train} and {@code test} images of 2x3 with labels
   * {@code i % 10}; {@code gz} picks the .gz names and compression.
   */
  public static Path idxFolder(Path folder, int train, int test, boolean gz) {
    String suffix = gz ? ".gz" : "";
    writeIdxPair(folder, "train", train, suffix);
    writeIdxPair(folder, "t10k", test, suffix);
    return folder;
  }

  private static void writeIdxPair(Path folder, String stem, int n, String suffix) {
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      labels[i] = (byte) (i % 10);
    }
    byte[] images = idxImages(n, 2, 3, pattern(n, 2, 3));
    byte[] labelFile = idxLabels(labels);
    boolean gz = !suffix.isEmpty();
    write(folder.resolve(stem + "-images-idx3-ubyte" + suffix), gz ? gzip(images) : images);
    write(folder.resolve(stem + "-labels-idx1-ubyte" + suffix), gz ? gzip(labelFile) : labelFile);
  }

  /**
   * A CIFAR-10 record whose value at channel c, row y, column x is {@code (base + c*100 + y*7 + x)
   * % 256}.
   */
  public static byte[] cifarRecord(int label, int base) {
    byte[] r = new byte[Cifar10Reader.RECORD_BYTES];
    r[0] = (byte) label;
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 32; y++) {
        for (int x = 0; x < 32; x++) {
          r[1 + c * 1024 + y * 32 + x] = (byte) cifarValue(base, c, y, x);
        }
      }
    }
    return r;
  }

  public static int cifarValue(int base, int c, int y, int x) {
    return (base + c * 100 + y * 7 + x) % 256;
  }

  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
