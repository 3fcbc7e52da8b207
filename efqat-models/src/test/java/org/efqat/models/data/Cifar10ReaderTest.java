package org.efqat.models.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.efqat.models.data.TestFiles.cifarRecord;
import static org.efqat.models.data.TestFiles.cifarValue;
import static org.efqat.models.data.TestFiles.concat;
import static org.efqat.models.data.TestFiles.gzip;
import static org.efqat.models.data.TestFiles.write;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10ReaderTest {
  @TempDir Path dir;

  @Test
  void transposesChwRecordsToNhwc() throws Exception {
    Path first =
        write(dir.resolve("data_batch_1.bin"), concat(cifarRecord(6, 0), cifarRecord(9, 50)));
    Path second = write(dir.resolve("data_batch_2.bin"), gzip(cifarRecord(1, 200)));
    ImageDataset d = Cifar10Reader.read("cifar", List.of(first, second));

    assertThat(d.size()).isEqualTo(3);
    assertThat(d.height()).isEqualTo(32);
    assertThat(d.width()).isEqualTo(32);
    assertThat(d.channels()).isEqualTo(3);
    assertThat(d.classes()).isEqualTo(10);
    assertThat(d.labels()).containsExactly(6, 9, 1);
    int[] bases = {0, 50, 200};
    for (int i = 0; i < 3; i++) {
      for (int y : new int[] {0, 1, 17, 31}) {
        for (int x : new int[] {0, 2, 30, 31}) {
          for (int c = 0; c < 3; c++) {
            assertThat(d.pixel(i, y, x, c))
                .as("image %d (%d, %d) channel %d", i, y, x, c)
                .isEqualTo(cifarValue(bases[i], c, y, x) / 255f);
          }
        }
      }
    }
    // the raw NHWC layout: the first pixel's R, G, B are adjacent, then the next pixel's R
    float[] p = d.pixels();
    assertThat(Arrays.copyOf(p, 4)).containsExactly(0f, 100 / 255f, 200 / 255f, 1 / 255f);
    // record 1 starts at 3072: value (c=0, y=0, x=0) of base 50
    assertThat(p[3072]).isEqualTo(50 / 255f);
  }

  @Test
  void readsFromAStream() throws Exception {
    ImageDataset d =
        Cifar10Reader.read("s", new ByteArrayInputStream(cifarRecord(3, 7)), "mem:test_batch");
    assertThat(d.size()).isEqualTo(1);
    assertThat(d.label(0)).isEqualTo(3);
    assertThat(d.pixel(0, 5, 4, 2)).isEqualTo(cifarValue(7, 2, 5, 4) / 255f);
  }

  @Test
  void aPartialRecordIsAnError() {
    byte[] data = concat(cifarRecord(0, 0), new byte[100]);
    Path file = write(dir.resolve("data_batch_1.bin"), data);
    assertThatThrownBy(() -> Cifar10Reader.read("c", List.of(file)))
        .isInstanceOf(DatasetException.class)
        .hasMessage(
            file
                + ": 3173 bytes is not a whole, non-zero number of 3073-byte CIFAR-10 records"
                + " (1 label byte + 3072 pixel bytes)");
    Path empty = write(dir.resolve("empty.bin"), new byte[0]);
    assertThatThrownBy(() -> Cifar10Reader.read("c", List.of(empty)))
        .hasMessageStartingWith(empty + ": 0 bytes is not a whole, non-zero number");
  }

  @Test
  void labelsAboveNineAreAnError() {
    Path file = write(dir.resolve("test_batch.bin"), concat(cifarRecord(2, 0), cifarRecord(10, 0)));
    assertThatThrownBy(() -> Cifar10Reader.read("c", List.of(file)))
        .isInstanceOf(DatasetException.class)
        .hasMessage(file + ": label 10 of record 1 is outside 0..9");
  }

  @Test
  void aMissingBatchIsNamed() {
    Path missing = dir.resolve("data_batch_3.bin");
    assertThatThrownBy(() -> Cifar10Reader.read("c", List.of(missing)))
        .isInstanceOf(DatasetException.class)
        .hasMessage(missing + ": no such file");
  }
}
