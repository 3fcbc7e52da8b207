package org.efqat.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.efqat.core.registry.ComponentRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an experiment file may not be: too large, not UTF-8, several documents, too deep. The big
 * inputs run under a generous timeout: a guard against a hang, not a speed assertion.
 */
class YamlLimitsTest {
  private static final Duration HANG_GUARD = Duration.ofSeconds(20);
  private static final String VALID = ExperimentLoaderTest.VALID;

  @TempDir Path dir;

  private final ExperimentLoader loader = new ExperimentLoader(ComponentRegistry.loadDefault());

  private String errorOf(String yaml) {
    return assertTimeoutPreemptively(
        HANG_GUARD,
        () -> {
          try {
            loader.parse(yaml, "x.yaml");
          } catch (ExperimentValidationException e) {
            return e.getMessage();
          }
          throw new AssertionError("expected a validation error");
        });
  }

  private String loadError(Path file) {
    return assertTimeoutPreemptively(
        HANG_GUARD,
        () -> {
          try {
            loader.load(file);
          } catch (ExperimentValidationException e) {
            return e.getMessage();
          }
          throw new AssertionError("expected a validation error");
        });
  }

  @Test
  void aFileOverTheLimitIsRefusedBeforeItIsParsed() throws Exception {
    Path big = dir.resolve("big.yaml");
    Files.writeString(big, VALID + "#" + "x".repeat(8 << 20) + "\n");
    long size = Files.size(big);
    assertThat(loadError(big))
        .isEqualTo(
            big
                + ": is "
                + size
                + " bytes, over the limit of 1048576 bytes (1 MiB) for experiment files");
    Path oneOver = dir.resolve("one-over.yaml");
    Files.writeString(
        oneOver, VALID + "#" + "x".repeat(ExperimentLoader.MAX_FILE_BYTES - VALID.length()));
    assertThat(loadError(oneOver))
        .isEqualTo(
            oneOver
                + ": is 1048577 bytes, over the limit of 1048576 bytes (1 MiB) for experiment"
                + " files");
  }

  @Test
  void textOverTheLimitIsRefusedToo() {
    assertThat(errorOf("name: " + "é".repeat(ExperimentLoader.MAX_FILE_BYTES / 2)))
        .isEqualTo(
            "x.yaml: is 1048582 bytes, over the limit of 1048576 bytes (1 MiB) for experiment"
                + " files");
  }

  @Test
  void aFileJustUnderTheLimitIsReadWithoutHanging() throws Exception {
    int room = ExperimentLoader.MAX_FILE_BYTES - VALID.length() - 2;
    Path comment = dir.resolve("comment.yaml");
    Files.writeString(comment, VALID + "#" + "x".repeat(room) + "\n");
    ResolvedExperiment e = assertTimeoutPreemptively(HANG_GUARD, () -> loader.load(comment));
    assertThat(e.config().name()).isEqualTo("unit");

    String longValue = VALID.replace("name: unit", "name: " + "n".repeat(room - 10));
    assertThat(errorOf(longValue))
        .startsWith("x.yaml:2: name must be 1-128 letters, digits, '.', '_' or '-' (was 'nnn")
        .matches("(?s).*\\.\\.\\. \\(\\d+ characters\\)")
        .doesNotContain("\n");

    String longList = VALID + "extra:\n" + "  - 1\n".repeat((room - 10) / 6);
    assertThat(errorOf(longList)).startsWith("x.yaml:18: extra is not a known key");
  }

  @Test
  void nestingIsBounded() {
    String deep = VALID.replace("seed: 7", "seed: " + "[".repeat(5000) + "]".repeat(5000));
    assertThat(errorOf(deep))
        .isEqualTo(
            "x.yaml:3: nests mappings and lists more than 32 levels deep, the limit for"
                + " experiment files");
    String deepMaps = VALID.replace("seed: 7", "seed: " + "{a: ".repeat(5000) + "}".repeat(5000));
    assertThat(errorOf(deepMaps))
        .isEqualTo(
            "x.yaml:3: nests mappings and lists more than 32 levels deep, the limit for"
                + " experiment files");
  }

  @Test
  void aliasesDoNotExpand() {
    StringBuilder laughs = new StringBuilder("lol0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 40; i++) {
      laughs
          .append("lol")
          .append(i)
          .append(": &a")
          .append(i)
          .append(" [")
          .append(("*a" + (i - 1) + ", ").repeat(9))
          .append("*a")
          .append(i - 1)
          .append("]\n");
    }
    assertThat(errorOf(VALID + laughs)).startsWith("x.yaml:18: lol0 is not a known key");
  }

  @Test
  void longNumbersAreBounded() {
    assertThat(errorOf(VALID.replace("seed: 7", "seed: " + "1".repeat(500_000))))
        .isEqualTo(
            "x.yaml:3: has a number of 500000 characters; numbers in experiment files are"
                + " limited to 100");
  }

  @Test
  void aSecondDocumentIsAnErrorAtItsLine() {
    assertThat(errorOf(VALID + "---\nname: other\n"))
        .isEqualTo(
            "x.yaml:18: starts a second YAML document; an experiment file holds exactly one"
                + " (remove this '---' or split the file)");
    assertThat(errorOf("---\n" + VALID + "---\n"))
        .isEqualTo(
            "x.yaml:19: starts a second YAML document; an experiment file holds exactly one"
                + " (remove this '---' or split the file)");
  }

  @Test
  void aLeadingDocumentMarkerIsFine() throws Exception {
    assertThat(loader.parse("---\n" + VALID, "x.yaml").config().name()).isEqualTo("unit");
  }

  @Test
  void bytesThatAreNotUtf8NameTheLine() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes("version: 1\nname: caf".getBytes(StandardCharsets.UTF_8));
    bytes.write(0xE9); // Latin-1 'é'
    bytes.writeBytes(VALID.substring(VALID.indexOf("\nseed")).getBytes(StandardCharsets.UTF_8));
    Path latin1 = dir.resolve("latin1.yaml");
    Files.write(latin1, bytes.toByteArray());
    assertThat(loadError(latin1))
        .isEqualTo(
            latin1 + ":2: is not valid UTF-8: byte 0xE9 at column 10; save the file as UTF-8");
  }

  @Test
  void aByteOrderMarkIsAllowed() throws Exception {
    Path bom = dir.resolve("bom.yaml");
    Files.writeString(bom, "\uFEFF" + VALID);
    assertThat(loader.load(bom).config().name()).isEqualTo("unit");
  }

  @Test
  void aMissingFileSaysSoInWords() {
    Path missing = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> loader.load(missing))
        .isInstanceOf(ExperimentValidationException.class)
        .hasMessage(missing + ": cannot be read: no such file");
  }
}
