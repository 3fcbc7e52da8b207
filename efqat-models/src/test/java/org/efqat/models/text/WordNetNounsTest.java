package org.efqat.models.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.efqat.models.data.DatasetException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing {@code data.noun} lines and the sample format; lexicographer file to class. */
class WordNetNounsTest {
  @TempDir Path dir;

  /** Three lines in the form of WordNet 3.0's data.noun (the first is a licence header line). */
  static final String FIXTURE =
      "  1 This software and database is being provided to you, the LICENSEE, by  \n"
          + "00001740 03 n 01 entity 0 003 ~ 00001930 n 0000 ~ 00002137 n 0000 ~ 04431553 n 0000"
          + " | that which is perceived or known or inferred to have its own distinct existence"
          + " (living or nonliving)  \n"
          + "02084071 05 n 03 dog 0 domestic_dog 0 Canis_familiaris 0 001 @ 02083346 n 0000"
          + " | a member of the genus Canis; has been domesticated; \"the dog barked all night\";"
          + " \"he said; go home\"  \n"
          + "15113229 28 n 01 time 0 000 | the continuum of experience \"in\" which events pass"
          + "  \n";

  private Path write(String text) throws IOException {
    Path file = dir.resolve("data.noun");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void readsDefinitionsAndLexfilesSkippingTheHeader() throws IOException {
    List<NounDefinition> all = WordNetNouns.readDataFile(write(FIXTURE));
    assertThat(all)
        .containsExactly(
            new NounDefinition(
                "that which is perceived or known or inferred to have its own distinct existence"
                    + " (living or nonliving)",
                3),
            new NounDefinition("a member of the genus Canis; has been domesticated", 5),
            new NounDefinition("the continuum of experience \"in\" which events pass", 28));
    assertThat(all).extracting(NounDefinition::label).containsExactly(0, 2, 25);
  }

  @Test
  void cutsExamplesAtTheFirstSemicolonQuote() {
    assertThat(WordNetNouns.definition("a dog; \"he said; hi\"; \"more\"")).isEqualTo("a dog");
    assertThat(WordNetNouns.definition(" x; y ")).isEqualTo("x; y");
    assertThat(WordNetNouns.definition("no examples")).isEqualTo("no examples");
  }

  @Test
  void mapsTheTwentySixNounFiles() {
    assertThat(WordNetNouns.SUPERSENSES).hasSize(26).hasSize(WordNetNouns.CLASSES);
    assertThat(WordNetNouns.SUPERSENSES.get(WordNetNouns.classOf(3))).isEqualTo("noun.Tops");
    assertThat(WordNetNouns.SUPERSENSES.get(WordNetNouns.classOf(6))).isEqualTo("noun.artifact");
    assertThat(WordNetNouns.SUPERSENSES.get(WordNetNouns.classOf(18))).isEqualTo("noun.person");
    assertThat(WordNetNouns.SUPERSENSES.get(WordNetNouns.classOf(28))).isEqualTo("noun.time");
    assertThatThrownBy(() -> WordNetNouns.classOf(2)).hasMessageContaining("not a noun file");
    assertThatThrownBy(() -> WordNetNouns.classOf(29)).hasMessageContaining("not a noun file");
  }

  @Test
  void malformedLinesNameFileAndLine() throws IOException {
    String good = FIXTURE.lines().skip(1).findFirst().orElseThrow() + "\n";
    Path noGloss = write(good + "00002137 03 n 01 abstraction 0 000\n");
    assertThatThrownBy(() -> WordNetNouns.readDataFile(noGloss))
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith(noGloss + ":2: no gloss (no ' | ')");
    Path verb = write(good + good + "00001740 29 n 01 x 0 000 | y\n");
    assertThatThrownBy(() -> WordNetNouns.readDataFile(verb))
        .hasMessageStartingWith(verb + ":3: lexicographer file 29 is not a noun file (3..28)");
    Path notNumber = write("00001740 xx n 01 x 0 000 | y\n");
    assertThatThrownBy(() -> WordNetNouns.readDataFile(notNumber))
        .hasMessageStartingWith(notNumber + ":1: lexicographer file 'xx' is not a number");
    Path empty = write("00001740 03 n 01 x 0 000 | ; \"only an example\"\n");
    assertThatThrownBy(() -> WordNetNouns.readDataFile(empty))
        .hasMessageStartingWith(empty + ":1: empty definition");
    Path headerOnly = write("  1 licence\n");
    assertThatThrownBy(() -> WordNetNouns.readDataFile(headerOnly))
        .hasMessage(headerOnly + ": holds no noun synsets");
    assertThatThrownBy(() -> WordNetNouns.readDataFile(dir.resolve("absent")))
        .hasMessage(dir.resolve("absent") + ": missing");
  }

  @Test
  void readsTheSampleFormat() throws IOException {
    byte[] ok = "a dog\t05\nthe time\t28\n".getBytes(StandardCharsets.UTF_8);
    assertThat(WordNetNouns.read(new ByteArrayInputStream(ok), "s.tsv", true))
        .containsExactly(new NounDefinition("a dog", 5), new NounDefinition("the time", 28));
    byte[] bad = "a dog\t05\na cat 05\n".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> WordNetNouns.read(new ByteArrayInputStream(bad), "s.tsv", true))
        .hasMessageStartingWith("s.tsv:2: expected 'definition<TAB>lexfile'");
    byte[] notUtf8 = {'a', '\t', '0', '5', '\n', (byte) 0xff, '\t', '0', '5', '\n'};
    assertThatThrownBy(() -> WordNetNouns.read(new ByteArrayInputStream(notUtf8), "s.tsv", true))
        .hasMessageStartingWith("s.tsv:2: not UTF-8 text");
  }
}
