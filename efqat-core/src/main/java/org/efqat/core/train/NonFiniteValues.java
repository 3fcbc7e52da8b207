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
      int i = firstNonFinite(p, false);
      if (i >= 0) {
        return Optional.of(p.name() + "[" + i + "] = " + p.value()[i]);
      }
    }
    if (gradients) {
      for (Parameter p : network.parameters().values()) {
        int i = firstNonFinite(p, true);
        if (i >= 0) {
          return Optional.of("the gradient of " + p.name() + "[" + i + "] = " + p.grad()[i]);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Scans a parameter's value or gradient where it is: on the backend while resident (nothing is
   * copied to the heap unless a value is found), else on the heap.
   */
  private static int firstNonFinite(Parameter p, boolean gradient) {
    if (p.isResident()) {
      return (int) p.residentOps().firstNonFinite(gradient ? p.gradTensor() : p.valueTensor());
    }
    return firstNonFinite(gradient ? p.grad() : p.value());
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
