package org.efqat.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.efqat.core.registry.ComponentRegistry;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the YAML binder, {@link ExperimentLoader#parse(String, String)}, with arbitrary documents
 * (the input bytes decoded as UTF-8): the only exception allowed is an {@link
 * ExperimentValidationException} listing at least one error; anything else (a Jackson or SnakeYAML
 * exception, a {@code NullPointerException}, a {@code StackOverflowError}) fails the test.
 *
 * <p>{@code mvn verify} replays the committed inputs in {@code
 * src/test/resources/org/efqat/core/config/ExperimentLoaderFuzzTestInputs/parse/}; {@code
 * JAZZER_FUZZ=1} fuzzes (README "Fuzzing"). The timeout is per input (libFuzzer's {@code -timeout}
 * when fuzzing).
 */
class ExperimentLoaderFuzzTest {
  private static final ExperimentLoader LOADER =
      new ExperimentLoader(ComponentRegistry.loadDefault());

  @FuzzTest(maxDuration = "30s")
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void parse(byte[] document) {
    String text = new String(document, StandardCharsets.UTF_8);
    try {
      ResolvedExperiment experiment = LOADER.parse(text, "fuzz.yaml");
      assertThat(experiment.config()).isNotNull();
    } catch (ExperimentValidationException e) {
      assertThat(e.errors()).isNotEmpty();
      e.errors().forEach(error -> assertThat(error.message()).isNotBlank());
    }
  }
}
