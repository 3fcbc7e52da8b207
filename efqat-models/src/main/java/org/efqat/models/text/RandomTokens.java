package org.efqat.models.text;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Token-id sequences of random ids with random labels: no signal to learn, only shapes, for timing
 * text models such as the {@code bert} encoder on inputs of any length.
 */
public final class RandomTokens {
  /** The smallest random id; ids below are BERT's special and unused tokens. */
  public static final int FIRST_RANDOM_ID = 1000;

  private RandomTokens() {}

  /**
   * Draws {@code samples} sequences of {@code length} ids: {@code [CLS]} ({@value
   * WordPieceTokenizer#CLS_ID}), {@code length - padTokens - 2} ids drawn with {@code
   * random.nextInt(FIRST_RANDOM_ID, vocabulary)}, {@code [SEP]} ({@value
   * WordPieceTokenizer#SEP_ID}), then {@code padTokens} ids 0 ({@code [PAD]}); sample after sample,
   * then every label with {@code random.nextInt(classes)}. The training and the test split are the
   * same sequences.
   *
   * @param name the dataset's name
   * @param length ids per sample, at least {@code padTokens + 2}
   * @param vocabulary ids are below it; more than {@value #FIRST_RANDOM_ID}
   * @param classes the number of classes
   * @param samples the number of sequences
   * @param padTokens padding ids at the end of every sequence
   * @param random the stream
   * @return {@code samples} sequences of {@code length} ids, train = test
   */
  public static TextDataSplit generate(
      String name,
      int length,
      int vocabulary,
      int classes,
      int samples,
      int padTokens,
      SplittableRandom random) {
    requireNonNull(random, "random is null");
    int real = length - padTokens;
    if (padTokens < 0 || real < 2 || vocabulary <= FIRST_RANDOM_ID) {
      throw new IllegalArgumentException(
          name
              + ": "
              + length
              + " ids with "
              + padTokens
              + " padding and vocabulary "
              + vocabulary
              + " leave no room for [CLS] ... [SEP]");
    }
    float[] ids = new float[Math.multiplyExact(samples, length)];
    for (int s = 0; s < samples; s++) {
      int o = s * length;
      ids[o] = WordPieceTokenizer.CLS_ID;
      for (int i = 1; i < real - 1; i++) {
        ids[o + i] = random.nextInt(FIRST_RANDOM_ID, vocabulary);
      }
      ids[o + real - 1] = WordPieceTokenizer.SEP_ID;
      // the rest stays 0: [PAD]
    }
    int[] labels = new int[samples];
    for (int i = 0; i < samples; i++) {
      labels[i] = random.nextInt(classes);
    }
    return new TextDataSplit(name, length, classes, ids, labels, ids, labels, List.of());
  }
}
