package org.efqat.core.nn;

import java.util.Objects;
import org.efqat.api.quant.QuantParams;
import org.efqat.api.quant.Quantizer;

/**
 * The quantizers of one weight layer (DESIGN.md 1.1): per-row weight quantization with the step
 * sizes as parameter {@code <layer>.weight_step [C_out]}, and per-tensor input quantization with
 * {@code <layer>.input_step [1]} and {@code <layer>.input_zero_point [1]}.
 *
 * @param weights the weight quantizer (per output channel)
 * @param inputs the input quantizer (per tensor)
 */
public record LayerQuantization(Quantizer weights, Quantizer inputs) {
  /** Checks for nulls. */
  public LayerQuantization {
    Objects.requireNonNull(weights, "weights is null");
    Objects.requireNonNull(inputs, "inputs is null");
  }

  /**
   * @param step a step parameter
   * @param zeroPoint a zero-point parameter, same length
   * @return a view of them as quantizer parameters (shares the arrays)
   */
  public static QuantParams view(Parameter step, Parameter zeroPoint) {
    return new QuantParams(step.value(), zeroPoint.value());
  }
}
