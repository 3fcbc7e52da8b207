package org.efqat.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes {@link SafetensorsReader} with arbitrary file contents: the only exception allowed is a
 * {@link CheckpointException} with a one-line message; anything else fails the test.
 *
 * <p>{@code mvn verify} replays the committed inputs in {@code
 * src/test/resources/org/efqat/core/checkpoint/SafetensorsReaderFuzzTestInputs/read/}; {@code
 * JAZZER_FUZZ=1} fuzzes (README "Fuzzing"). The timeout is per input (libFuzzer's {@code -timeout}
 * when fuzzing).
 */
class SafetensorsReaderFuzzTest {
  @TempDir static Path dir;

  @FuzzTest(maxDuration = "30s")
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void read(byte[] contents) throws IOException {
    Path file = Files.write(dir.resolve("fuzz.safetensors"), contents);
    try {
      Checkpoint checkpoint = SafetensorsReader.read(file);
      assertThat(checkpoint.tensors()).isNotNull();
    } catch (CheckpointException e) {
      assertOneLine(e);
    }
    try {
      SafetensorsReader.readHeader(file);
    } catch (CheckpointException e) {
      assertOneLine(e);
    }
  }

  private static void assertOneLine(CheckpointException e) {
    assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
  }
}
