package org.efqat.models.bert;

import org.efqat.api.spi.ConfigValueException;

/**
 * The sizes of a BERT-style encoder.
 *
 * @param layers encoder layers
 * @param hidden {@code D}, the width of every token's vector
 * @param heads attention heads, dividing {@code hidden}
 * @param intermediate the feed-forward block's inner width
 * @param vocabulary {@code V}, token ids {@code [0, V)}
 * @param maxPositions the longest sequence (position embeddings)
 * @param tokenTypes token-type (segment) embeddings
 * @param layerNormEps LayerNorm's variance offset
 */
public record BertDimensions(
    int layers,
    int hidden,
    int heads,
    int intermediate,
    int vocabulary,
    int maxPositions,
    int tokenTypes,
    float layerNormEps) {

  /** A two-layer encoder, hidden 32, for tests and quick runs; MiniLM's WordPiece vocabulary. */
  public static final BertDimensions TINY = new BertDimensions(2, 32, 4, 64, 30522, 512, 2, 1e-12f);

  /** all-MiniLM-L6-v2 (Wang et al., 2020; sentence-transformers): 6 layers, 384, 12 heads. */
  public static final BertDimensions ALL_MINILM_L6_V2 =
      new BertDimensions(6, 384, 12, 1536, 30522, 512, 2, 1e-12f);

  /** BERT-base (Devlin et al., 2019), the paper's Transformer: 12 layers, 768, 12 heads. */
  public static final BertDimensions BERT_BASE =
      new BertDimensions(12, 768, 12, 3072, 30522, 512, 2, 1e-12f);

  /** Validates. */
  public BertDimensions {
    ConfigValueException.requireInRange("layers", layers, 1, 48);
    ConfigValueException.requireInRange("hidden", hidden, 1, 8192);
    ConfigValueException.requireInRange("heads", heads, 1, 128);
    ConfigValueException.requireInRange("intermediate", intermediate, 1, 32768);
    ConfigValueException.requireInRange("vocabulary", vocabulary, 1, 1 << 24);
    ConfigValueException.requireInRange("maxPositions", maxPositions, 1, 8192);
    ConfigValueException.requireInRange("tokenTypes", tokenTypes, 1, 16);
    ConfigValueException.requireInRange("layerNormEps", layerNormEps, 1e-30, 1);
    if (hidden % heads != 0) {
      throw new ConfigValueException(
          "heads", "must divide hidden " + hidden + " (was " + heads + ")");
    }
  }

  /**
   * @param preset {@code tiny}, {@code all-minilm-l6-v2} or {@code bert-base}
   * @return its dimensions
   * @throws ConfigValueException for another name, listing the choices
   */
  public static BertDimensions preset(String preset) {
    return switch (preset) {
      case "tiny" -> TINY;
      case "all-minilm-l6-v2" -> ALL_MINILM_L6_V2;
      case "bert-base" -> BERT_BASE;
      default ->
          throw new ConfigValueException(
              "preset", "must be one of tiny, all-minilm-l6-v2, bert-base (was '" + preset + "')");
    };
  }

  /**
   * @return the parameters of the encoder without the classification head
   */
  public long parameterCount() {
    long embeddings = (long) (vocabulary + maxPositions + tokenTypes) * hidden + 2L * hidden;
    long attention = 4L * hidden * hidden + 4L * hidden + 2L * hidden;
    long ffn = 2L * hidden * intermediate + intermediate + hidden + 2L * hidden;
    return embeddings + layers * (attention + ffn);
  }
}
