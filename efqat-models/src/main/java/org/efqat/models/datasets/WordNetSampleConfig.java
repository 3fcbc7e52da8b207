package org.efqat.models.datasets;

import org.efqat.api.spi.ConfigValueException;
import org.efqat.models.text.WordPieceTokenizer;

/**
 * Options of {@code wordnet-supersenses-sample} (and the tokenization options of {@code
 * wordnet-supersenses}).
 *
 * @param maxLength WordPiece ids per definition, including {@code [CLS]} and {@code [SEP]}; 3..512,
 *     default {@value #DEFAULT_MAX_LENGTH} (covers almost every WordNet definition; longer ones are
 *     truncated)
 * @param testFraction the share of examples in the test split, in {@code (0, 1)}, default {@value
 *     #DEFAULT_TEST_FRACTION}
 */
public record WordNetSampleConfig(Integer maxLength, Double testFraction) {
  /** The default {@code maxLength}. */
  public static final int DEFAULT_MAX_LENGTH = 32;

  /** The default {@code testFraction}. */
  public static final double DEFAULT_TEST_FRACTION = 0.1;

  /** Validates and applies the defaults. */
  public WordNetSampleConfig {
    if (maxLength == null) {
      maxLength = DEFAULT_MAX_LENGTH;
    } else if (maxLength < 3 || maxLength > WordPieceTokenizer.MAX_POSITIONS) {
      throw new ConfigValueException(
          "maxLength",
          "must be in [3, " + WordPieceTokenizer.MAX_POSITIONS + "] (was " + maxLength + ")");
    }
    if (testFraction == null) {
      testFraction = DEFAULT_TEST_FRACTION;
    } else if (!(testFraction > 0 && testFraction < 1)) {
      throw new ConfigValueException(
          "testFraction", "must be in (0, 1) (was " + testFraction + ")");
    }
  }
}
