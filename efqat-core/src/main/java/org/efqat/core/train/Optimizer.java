package org.efqat.core.train;

import java.util.List;
import java.util.Map;
import org.efqat.core.nn.Parameter;

/**
 * Updates parameters from their gradients. Row-structured parameters with {@link
 * Parameter#activeRows()} set are updated only in those rows, and the optimizer state of the other
 * rows does not change (DESIGN.md 1.2: frozen rows stay bit-identical).
 */
public interface Optimizer {
  /**
   * @param parameters the parameters that train in this step
   * @param learningRate the learning rate of this step
   */
  void step(List<Parameter> parameters, double learningRate);

  /**
   * The optimizer's state for a mid-stage checkpoint.
   *
   * @return every state array, keyed {@code <parameter name>/<slot>} (for example {@code
   *     fc1.weight/velocity}); copies
   */
  Map<String, float[]> state();

  /**
   * Restores what {@link #state()} returned, into a fresh optimizer.
   *
   * @param state the saved arrays
   * @param parameters the parameters the optimizer updates, to match the names
   * @throws IllegalArgumentException naming the entry if one does not belong to a parameter or has
   *     the wrong length
   */
  void restoreState(Map<String, float[]> state, List<Parameter> parameters);

  /**
   * Brings state kept on a backend back to the heap and frees its tensors (called when a stage
   * ends; {@link #state()} works before and after). The default keeps nothing on a backend.
   */
  default void release() {}
}
