package org.efqat.models.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.efqat.models.data.TestFiles.gzip;
import static org.efqat.models.data.TestFiles.idxImages;
import static org.efqat.models.data.TestFiles.idxLabels;
import static org.efqat.models.data.TestFiles.pattern;
import static org.efqat.models.data.TestFiles.write;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {
  @TempDir Path dir;

  private static final byte[] LABELS = {3, 0, 9};

  private static void assertRoundTrip(ImageDataset d) {
    assertThat(d.name()).isEqualTo("tiny");
    assertThat(d.size()).isEqualTo(3);
    assertThat(d.height()).isEqualTo(2);
    assertThat(d.width()).isEqualTo(4);
    assertThat(d.channels()).isEqualTo(1);
    assertThat(d.classes()).isEqualTo(10);
    assertThat(d.labels()).containsExactly(3, 0, 9);
    byte[] raw = pattern(3, 2, 4);
    float[] expected = new float[raw.length];
    for (int i = 0; i < raw.length; i++) {
      expected[i] = (raw[i] & 0xff) / 255f;
    }
    assertThat(d.pixels()).containsExactly(expected);
    // row-major: image 1, row 1, column 2 is byte 31 + 1*4 + 2
    assertThat(d.pixel(1, 1, 2, 0)).isEqualTo(37 / 255f);
  }

  @ParameterizedTest(name = "gzip images {0}")
  @ValueSource(booleans = {false, true})
  void roundTripsFromFilesPlainOrGzipWhateverTheName(boolean gz) throws Exception {
    byte[] images = idxImages(3, 2, 4, pattern(3, 2, 4));
    byte[] labels = idxLabels(LABELS);
    // the names deliberately lie about the compression: content decides
    Path imageFile =
        write(dir.resolve(gz ? "images.idx" : "images.idx.gz"), gz ? gzip(images) : images);
    Path labelFile = write(dir.resolve("labels.bin"), gz ? labels : gzip(labels));
    assertRoundTrip(IdxReader.read("tiny", imageFile, labelFile, 10));
  }

  @ParameterizedTest(name = "gzip {0}")
  @ValueSource(booleans = {false, true})
  void roundTripsFromStreams(boolean gz) throws Exception {
    byte[] images = idxImages(3, 2, 4, pattern(3, 2, 4));
    byte[] labels = idxLabels(LABELS);
    ImageDataset d =
        IdxReader.read(
            "tiny",
            new ByteArrayInputStream(gz ? gzip(images) : images),
            "mem:images",
            new ByteArrayInputStream(gz ? gzip(labels) : labels),
            "mem:labels",
            10);
    assertRoundTrip(d);
  }

  @Test
  void readsAnEmptySet() throws Exception {
    ImageDataset d =
        IdxReader.read(
            "empty",
            write(dir.resolve("i"), idxImages(0, 28, 28, new byte[0])),
            write(dir.resolve("l"), idxLabels()),
            10);
    assertThat(d.size()).isZero();
    assertThat(d.height()).isEqualTo(28);
  }

  private String error(byte[] images, byte[] labels) {
    Path i = write(dir.resolve("img"), images);
    Path l = write(dir.resolve("lab"), labels);
    try {
      IdxReader.read("bad", i, l, 10);
    } catch (DatasetException e) {
      assertThat(e.getMessage()).doesNotContain("\n");
      return e.getMessage().replace(dir.toString(), "DIR");
    } catch (Exception e) {
      throw new AssertionError("expected a DatasetException", e);
    }
    throw new AssertionError("no error");
  }

  @Test
  void wrongMagicNamesTheFileAndTheExpectedMagic() {
    byte[] good = idxImages(3, 2, 4, pattern(3, 2, 4));
    byte[] labels = idxLabels(LABELS);
    // image and label files swapped
    assertThat(error(labels, good))
        .isEqualTo(
            "DIR/img: not an IDX image file: magic 0x00000801, expected 0x00000803"
                + " (unsigned bytes, 3 dimensions); this looks like a label file");
    assertThat(error(good, good))
        .isEqualTo(
            "DIR/lab: not an IDX label file: magic 0x00000803, expected 0x00000801"
                + " (unsigned bytes, 1 dimension); this looks like an image file");
    byte[] floats = good.clone();
    floats[2] = 0x0d; // 0x00000d03: floats, 3 dimensions
    assertThat(error(floats, labels))
        .isEqualTo(
            "DIR/img: not an IDX image file: magic 0x00000d03, expected 0x00000803"
                + " (unsigned bytes, 3 dimensions)");
  }

  @Test
  void truncatedFilesSayWhatWasExpected() {
    byte[] good = idxImages(3, 2, 4, pattern(3, 2, 4));
    byte[] labels = idxLabels(LABELS);
    assertThat(error(Arrays.copyOf(good, good.length - 5), labels))
        .isEqualTo(
            "DIR/img: truncated: the header declares 3 images of 2x4 (24 bytes), found 19 bytes");
    assertThat(error(Arrays.copyOf(good, 10), labels))
        .isEqualTo("DIR/img: truncated: an IDX image header has 16 bytes, found 10");
    assertThat(error(new byte[0], labels))
        .isEqualTo("DIR/img: truncated: an IDX image header has 16 bytes, found 0");
    assertThat(error(good, Arrays.copyOf(labels, labels.length - 1)))
        .isEqualTo("DIR/lab: truncated: the header declares 3 labels, found 2");
    assertThat(error(good, Arrays.copyOf(labels, 6)))
        .isEqualTo("DIR/lab: truncated: an IDX label header has 8 bytes, found 6");
  }

  @Test
  void aTruncatedGzipStreamIsReported() {
    byte[] gz = gzip(idxImages(3, 2, 4, pattern(3, 2, 4)));
    assertThat(error(Arrays.copyOf(gz, gz.length - 12), idxLabels(LABELS)))
        .startsWith("DIR/img: truncated gzip data (");
  }

  @Test
  void trailingDataIsAnError() {
    byte[] good = idxImages(3, 2, 4, pattern(3, 2, 4));
    assertThat(error(TestFiles.concat(good, new byte[] {1}), idxLabels(LABELS)))
        .isEqualTo("DIR/img: unexpected data after the 3 images of 2x4 that the header declares");
    assertThat(error(good, TestFiles.concat(idxLabels(LABELS), new byte[] {1})))
        .isEqualTo("DIR/lab: unexpected data after the 3 labels that the header declares");
  }

  @Test
  void imageAndLabelCountsMustAgree() {
    byte[] images = idxImages(3, 2, 4, pattern(3, 2, 4));
    assertThat(error(images, idxLabels((byte) 1, (byte) 2)))
        .isEqualTo("DIR/img holds 3 images but DIR/lab holds 2 labels");
  }

  @Test
  void labelsMustBeBelowTheClassCount() {
    byte[] images = idxImages(3, 2, 4, pattern(3, 2, 4));
    assertThat(error(images, idxLabels((byte) 1, (byte) 10, (byte) 2)))
        .isEqualTo("DIR/lab: label 10 at index 1 is outside 0..9 (10 classes)");
    assertThat(error(images, idxLabels((byte) 1, (byte) 2, (byte) 0xff)))
        .isEqualTo("DIR/lab: label 255 at index 2 is outside 0..9 (10 classes)");
  }

  @Test
  void invalidDimensionsAndMissingFiles() {
    byte[] zeroRows = idxImages(3, 0, 4, new byte[0]);
    assertThat(error(zeroRows, idxLabels(LABELS)))
        .isEqualTo("DIR/img: invalid IDX image dimensions 3 x 0 x 4");
    // Found by IdxReaderFuzzTest: count * rows * cols overflowed a long (a negative size was read),
    // and an image of more than 2^31 pixels failed in ImageDataset even with no images.
    byte[] overflow = idxImages(758_120_448, 131_294, 52_972_921, new byte[0]);
    assertThat(error(overflow, idxLabels(LABELS)))
        .isEqualTo(
            "DIR/img: IDX images of 131294x52972921 are too large to hold"
                + " (6955026689774 pixels each)");
    assertThat(error(idxImages(0, 65_536, 65_536, new byte[0]), idxLabels()))
        .isEqualTo(
            "DIR/img: IDX images of 65536x65536 are too large to hold (4294967296 pixels each)");
    Path labels = write(dir.resolve("lab"), idxLabels(LABELS));
    assertThatThrownBy(() -> IdxReader.read("x", dir.resolve("nope"), labels, 10))
        .isInstanceOf(DatasetException.class)
        .hasMessage(dir.resolve("nope") + ": no such file");
  }

  @Test
  void streamErrorsUseTheGivenSourceName() {
    assertThatThrownBy(
            () ->
                IdxReader.read(
                    "x",
                    new ByteArrayInputStream(new byte[] {0, 0, 8, 1, 0, 0, 0, 0}),
                    "https://example.org/images.gz",
                    new ByteArrayInputStream(idxLabels()),
                    "labels",
                    10))
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith("https://example.org/images.gz: not an IDX image file");
  }
}
