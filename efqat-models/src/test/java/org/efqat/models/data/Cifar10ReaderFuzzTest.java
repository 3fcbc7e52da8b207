package org.efqat.models.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link Cifar10Reader} with an arbitrary batch, plain or gzip: the only exception allowed
 * is a {@link DatasetException} with a one-line message; anything else fails the test.
 *
 * <p>{@code mvn verify} replays the committed inputs in {@code
 * src/test/resources/org/efqat/models/data/Cifar10ReaderFuzzTestInputs/read/}; {@code
 * JAZZER_FUZZ=1} fuzzes (README "Fuzzing").
 */
class Cifar10ReaderFuzzTest {
  @FuzzTest(maxDuration = "30s")
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void read(byte[] batch) {
    try {
      ImageDataset data = Cifar10Reader.read("fuzz", new ByteArrayInputStream(batch), "batch");
      assertThat(data.classes()).isEqualTo(Cifar10Reader.CLASSES);
    } catch (DatasetException e) {
      assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
    }
  }
}
