package org.efqat.core.nn.transformer;

import org.efqat.core.nn.FeatureShape;

/**
 * One batch of token sequences as the encoder's layers need it: the token ids and which positions
 * are tokens rather than padding. Id 0 is padding ({@code [PAD]} in BERT's WordPiece vocabulary);
 * the keys of attention and the mean pooling see only the other positions.
 *
 * @param batch {@code B}
 * @param length {@code L}, positions per sequence
 * @param ids {@code B·L} token ids, row-major {@code [B, L]}
 * @param keyMask {@code B·L} values, 1 for a token and 0 for padding
 * @param tokens the number of tokens (non-padding positions) of each sequence, {@code B} values
 */
public record TokenBatch(int batch, int length, int[] ids, float[] keyMask, int[] tokens) {

  /**
   * Reads the ids of a batch from the values the network received.
   *
   * @param values {@code [B, 1, L, 1]} token ids as floats (exact: ids are below {@code 2^24})
   * @param shape the shape of {@code values}
   * @param vocabulary {@code V}; every id must lie in {@code [0, V)}
   * @param maxPositions the longest sequence the position embeddings cover
   * @return the batch
   * @throws IllegalArgumentException naming the sample and position of an id that is not an integer
   *     in range, a sequence with no tokens, or a length beyond {@code maxPositions}
   */
  public static TokenBatch of(
      float[] values, FeatureShape shape, int vocabulary, int maxPositions) {
    if (shape.h() != 1 || shape.c() != 1) {
      throw new IllegalArgumentException(
          "token ids: expected shape [B, 1, L, 1], got " + shape + " (is the data set text?)");
    }
    int b = shape.n();
    int l = shape.w();
    if (l > maxPositions) {
      throw new IllegalArgumentException(
          "token ids: sequences of " + l + " positions, but the model has " + maxPositions);
    }
    int[] ids = new int[b * l];
    float[] mask = new float[b * l];
    int[] tokens = new int[b];
    for (int i = 0; i < b * l; i++) {
      float v = values[i];
      int id = (int) v;
      if (id != v || id < 0 || id >= vocabulary) {
        throw new IllegalArgumentException(
            "token ids: sample "
                + i / l
                + " position "
                + i % l
                + " holds "
                + v
                + ", expected an integer id in [0, "
                + vocabulary
                + ")");
      }
      ids[i] = id;
      if (id != 0) {
        mask[i] = 1f;
        tokens[i / l]++;
      }
    }
    for (int s = 0; s < b; s++) {
      if (tokens[s] == 0) {
        throw new IllegalArgumentException(
            "token ids: sample " + s + " is all padding (id 0); every sequence needs a token");
      }
    }
    return new TokenBatch(b, l, ids, mask, tokens);
  }

  /**
   * @return {@code B·L}, the number of positions
   */
  public int positions() {
    return batch * length;
  }
}
