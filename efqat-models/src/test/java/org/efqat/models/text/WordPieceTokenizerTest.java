package org.efqat.models.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MiniLM's WordPiece ids for known texts. The expected ids were produced once by this tokenizer
 * (DJL 0.36.0 over all-minilm-l6-v2-tokenizer.json) and agree with BERT-uncased's vocabulary ("a"
 * 1037, "dog" 3899, "," 1010, "!" 999).
 */
class WordPieceTokenizerTest {
  private static WordPieceTokenizer tokenizer;

  @BeforeAll
  static void load() throws Exception {
    tokenizer = WordPieceTokenizer.minilm(16);
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  @Test
  void encodesKnownSentences() {
    assertThat(tokenizer.encode("a dog"))
        .containsExactly(101, 1037, 3899, 102, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    assertThat(tokenizer.encode("Unbelievably, an ichthyosaur!"))
        .containsExactly(
            101, 4895, 8671, 2666, 3567, 6321, 1010, 2019, 22564, 16921, 8820, 3126, 999, 102, 0,
            0);
  }

  @Test
  void truncatesKeepingTheFinalSep() throws Exception {
    try (WordPieceTokenizer eight = WordPieceTokenizer.minilm(8)) {
      assertThat(eight.encode("a b c d e f g h i j"))
          .containsExactly(101, 1037, 1038, 1039, 1040, 1041, 1042, 102);
    }
  }

  @Test
  void encodeAllPacksFloats() {
    float[] ids = tokenizer.encodeAll(List.of("a dog", "a b c"));
    assertThat(ids).hasSize(32);
    assertThat(ids[0]).isEqualTo(101f);
    assertThat(ids[2]).isEqualTo(3899f);
    assertThat(ids[16 + 4]).isEqualTo(102f);
  }

  @Test
  void hashesTheTokenizerJson() {
    assertThat(tokenizer.inputFile().name()).isEqualTo("classpath:" + WordPieceTokenizer.RESOURCE);
    assertThat(tokenizer.inputFile().bytes()).isEqualTo(711_661);
    assertThat(tokenizer.inputFile().sha256())
        .isEqualTo("da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0");
  }

  @Test
  void rejectsABadMaxLength() {
    assertThatThrownBy(() -> WordPieceTokenizer.minilm(2))
        .hasMessage("maxLength must be in [3, 512] (was 2)");
  }
}
