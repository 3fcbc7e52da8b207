package org.efqat.api.importance;

import java.util.Arrays;
import java.util.Objects;

/**
 * The importance score of every row of one layer. Higher means more important (more worth
 * training). Scores are finite; the constructor rejects NaN and infinities.
 *
 * @param layer the layer's name
 * @param scores one score per row (output channel), shape {@code [C_out]}; copied
 */
public record LayerImportance(String layer, double[] scores) {
  /** Checks and copies the scores. */
  public LayerImportance {
    Objects.requireNonNull(layer, "layer is null");
    scores = Objects.requireNonNull(scores, "scores is null").clone();
    for (int r = 0; r < scores.length; r++) {
      if (!Double.isFinite(scores[r])) {
        throw new IllegalArgumentException(
            "importance of layer "
                + layer
                + " row "
                + r
                + " is "
                + scores[r]
                + ", expected a finite number");
      }
    }
  }

  /**
   * @return the number of rows
   */
  public int rows() {
    return scores.length;
  }

  /**
   * @param row a row index
   * @return its score
   */
  public double score(int row) {
    return scores[row];
  }

  /**
   * @return a copy of the scores
   */
  @Override
  public double[] scores() {
    return scores.clone();
  }

  /**
   * @return the mean score, or NaN for a layer without rows
   */
  public double mean() {
    return scores.length == 0 ? Double.NaN : Arrays.stream(scores).sum() / scores.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LayerImportance other
        && layer.equals(other.layer)
        && Arrays.equals(scores, other.scores);
  }

  @Override
  public int hashCode() {
    return 31 * layer.hashCode() + Arrays.hashCode(scores);
  }

  @Override
  public String toString() {
    return "LayerImportance[" + layer + ", " + Arrays.toString(scores) + "]";
  }
}
