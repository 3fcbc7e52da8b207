package org.efqat.core.train;

import java.util.Optional;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.Parameter;

/**
 * Finds the first NaN or infinity among a network's parameters (DESIGN.md: no silent divergence).
 */
public final class NonFiniteValues {
  private NonFiniteValues() {}

  /**
   * @param network a network
   * @param gradients also look at the gradients of the last backward pass
   * @return where the first non-finite value is, in network order, e.g. {@code "fc.weight[12] =
   *     NaN"} or {@code "the gradient of fc.weight[3] = Infinity"}; empty if every value is finite
   */
  public static Optional<String> first(Network network, boolean gradients) {
    for (Parameter p : network.parameters().values()) {
      int i = firstNonFinite(p.value());
      if (i >= 0) {
        return Optional.of(p.name() + "[" + i + "] = " + p.value()[i]);
      }
    }
    if (gradients) {
      for (Parameter p : network.parameters().values()) {
        int i = firstNonFinite(p.grad());
        if (i >= 0) {
          return Optional.of("the gradient of " + p.name() + "[" + i + "] = " + p.grad()[i]);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * @param values values
   * @return the index of the first NaN or infinity, or -1
   */
  public static int firstNonFinite(float[] values) {
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        return i;
      }
    }
    return -1;
  }
}
