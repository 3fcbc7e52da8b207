package org.efqat.core.importance;

import org.efqat.api.importance.ImportanceMetric;
import org.efqat.api.importance.LayerImportance;
import org.efqat.api.importance.WeightRows;

/**
 * EfQAT's default importance (DESIGN.md 1.2): {@code I_r = mean_j |W[r, j]|} over the latent FP
 * weights of row {@code r}, accumulated in double precision. A row without weights scores 0.
 */
public final class MeanAbsImportanceMetric implements ImportanceMetric {

  @Override
  public LayerImportance score(WeightRows layer) {
    float[] w = layer.weights();
    int cols = layer.cols();
    double[] scores = new double[layer.rows()];
    for (int r = 0; r < scores.length; r++) {
      double sum = 0;
      int base = r * cols;
      for (int j = 0; j < cols; j++) {
        sum += Math.abs(w[base + j]);
      }
      scores[r] = cols == 0 ? 0.0 : sum / cols;
    }
    return new LayerImportance(layer.layer(), scores);
  }
}
