package org.efqat.models.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link IdxReader} with arbitrary image and label data, plain or gzip: the only exception
 * allowed is a {@link DatasetException} with a one-line message; anything else fails the test.
 *
 * <p>An input is one byte {@code c} (the reader gets {@code c + 1} classes, so 1..256), two bytes
 * big-endian {@code n}, then {@code n} bytes of image file and the rest as the label file (a
 * shorter input gives all its bytes to the image file). {@code mvn verify} replays the committed
 * inputs in {@code src/test/resources/org/efqat/models/data/IdxReaderFuzzTestInputs/read/}; {@code
 * JAZZER_FUZZ=1} fuzzes (README "Fuzzing").
 */
class IdxReaderFuzzTest {
  @FuzzTest(maxDuration = "30s")
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void read(byte[] input) {
    int classes = input.length > 0 ? (input[0] & 0xff) + 1 : 10;
    int n = input.length >= 3 ? ((input[1] & 0xff) << 8) | (input[2] & 0xff) : 0;
    int split = Math.min(input.length, 3 + n);
    byte[] images = Arrays.copyOfRange(input, Math.min(3, input.length), split);
    byte[] labels = Arrays.copyOfRange(input, split, input.length);
    try {
      ImageDataset data =
          IdxReader.read(
              "fuzz",
              new ByteArrayInputStream(images),
              "images",
              new ByteArrayInputStream(labels),
              "labels",
              classes);
      assertThat(data.classes()).isEqualTo(classes);
    } catch (DatasetException e) {
      assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
    }
  }
}
