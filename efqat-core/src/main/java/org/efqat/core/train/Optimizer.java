package org.efqat.core.train;

import java.util.List;
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
}
