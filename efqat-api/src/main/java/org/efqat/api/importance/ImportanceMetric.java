package org.efqat.api.importance;

import org.apiguardian.api.API;

/**
 * Scores the rows of a quantized layer (EfQAT section 3, DESIGN.md 1.2). Called at every
 * re-selection, that is every {@code interval} training samples, once per quantized layer.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface ImportanceMetric {

  /**
   * @param layer the layer's latent FP weights, shape {@code [C_out, K]}
   * @return one finite score per row, higher is more important
   */
  LayerImportance score(WeightRows layer);

  /**
   * @return whether {@link #score} needs {@link WeightRows#gradients()}; the trainer then passes
   *     the weight gradient of the last step (computed for every row at that step)
   */
  default boolean needsGradients() {
    return false;
  }
}
