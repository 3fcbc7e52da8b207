package org.efqat.models.datasets;

import org.efqat.api.spi.ConfigValueException;
import org.efqat.models.text.RandomTokens;

/**
 * Options of {@code random-tokens}.
 *
 * @param length ids per sequence, {@code [CLS]} and {@code [SEP]} and padding included, in {@code
 *     [2, 65536]} (the model may allow fewer: {@code bert}'s {@code maxPositions}); default {@value
 *     #DEFAULT_LENGTH}
 * @param vocabulary random ids are drawn from {@code [1000, vocabulary)}, so it is in {@code [1001,
 *     2^24]} (ids are stored as exact floats) and should be the model's vocabulary; default {@value
 *     #DEFAULT_VOCABULARY} (BERT's uncased WordPiece vocabulary)
 * @param classes the number of classes, in {@code [1, 1000000]}; default {@value #DEFAULT_CLASSES}
 * @param samples sequences (the training and the test split are the same), at least 1 and with
 *     {@code samples·length < 2^31}; default {@value #DEFAULT_SAMPLES}
 * @param padFraction the share of every sequence's tail that is padding (id 0), in {@code [0, 1)}:
 *     {@code round(length · padFraction)} ids, rounding half to even as Python's {@code round} does
 *     (as {@code experiments/pytorch/bert_qat_bench.py --pad-fraction}); at least 2 ids must remain
 *     for {@code [CLS]} and {@code [SEP]}; default 0
 */
public record RandomTokensConfig(
    Integer length, Integer vocabulary, Integer classes, Integer samples, Double padFraction) {
  /** The default length, the common BERT fine-tuning length. */
  public static final int DEFAULT_LENGTH = 128;

  /** The default vocabulary, BERT's (and all-MiniLM-L6-v2's). */
  public static final int DEFAULT_VOCABULARY = 30_522;

  /** The default classes. */
  public static final int DEFAULT_CLASSES = 2;

  /** The default sequences: one batch of 32. */
  public static final int DEFAULT_SAMPLES = 32;

  /** The longest sequence accepted. */
  public static final int MAX_LENGTH = 65_536;

  /** Applies defaults and validates. */
  public RandomTokensConfig {
    length = length == null ? DEFAULT_LENGTH : length;
    vocabulary = vocabulary == null ? DEFAULT_VOCABULARY : vocabulary;
    classes = classes == null ? DEFAULT_CLASSES : classes;
    samples = samples == null ? DEFAULT_SAMPLES : samples;
    padFraction = padFraction == null ? 0.0 : padFraction;
    ConfigValueException.requireInRange("length", length, 2, MAX_LENGTH);
    ConfigValueException.requireInRange(
        "vocabulary", vocabulary, RandomTokens.FIRST_RANDOM_ID + 1, 1 << 24);
    ConfigValueException.requireInRange("classes", classes, 1, 1_000_000);
    ConfigValueException.requireInRange("samples", samples, 1, Integer.MAX_VALUE);
    if (!(padFraction >= 0 && padFraction < 1)) {
      throw new ConfigValueException("padFraction", "must be in [0, 1) (was " + padFraction + ")");
    }
    long values = (long) samples * length;
    if (values > Integer.MAX_VALUE - 8) {
      throw new ConfigValueException(
          "samples",
          "times length must be < 2^31 (was " + samples + " × " + length + " = " + values + ")");
    }
    int pad = padTokens(length, padFraction);
    if (length - pad < 2) {
      throw new ConfigValueException(
          "padFraction",
          "leaves "
              + (length - pad)
              + " of "
              + length
              + " ids unpadded; [CLS] and [SEP] need 2 (was "
              + padFraction
              + ")");
    }
  }

  /**
   * @return padding ids at the end of every sequence: {@code round(length · padFraction)}, half to
   *     even
   */
  public int padTokens() {
    return padTokens(length, padFraction);
  }

  private static int padTokens(int length, double padFraction) {
    return (int) Math.rint(length * padFraction);
  }
}
