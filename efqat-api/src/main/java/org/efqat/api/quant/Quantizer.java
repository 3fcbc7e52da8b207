package org.efqat.api.quant;

import org.apiguardian.api.API;

/**
 * A fake quantizer (DESIGN.md 1.1). Tensors are FP32, row-major and split into {@code groups} equal
 * contiguous groups ({@code x.length % groups == 0}): per-channel weights {@code [C_out, K]} use
 * {@code groups = C_out}, per-tensor activations use {@code groups = 1}.
 *
 * <p>Forward: {@code x̂ = s·(clamp(round(x/s + z), qmin, qmax) − z)}. Backward: straight-through
 * for the rounding (gradient 1 inside the clip range, 0 outside) plus the quantizer's own step and
 * zero-point gradients.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface Quantizer {

  /**
   * @return the integer grid
   */
  QuantGrid grid();

  /**
   * Whether {@link #forward} and {@link #backward} are exactly the affine fake quantization of
   * DESIGN.md 1.1 on {@link #grid()} (step and zero-point sums scaled by {@code 1/sqrt(n·qmax)}),
   * so that an engine may run them as backend kernels on large activation tensors instead of
   * copying them to the heap. Other quantizers always run through {@link #forward}.
   *
   * @return {@code true} for an affine fake quantizer; default {@code false}
   */
  default boolean isAffine() {
    return false;
  }

  /**
   * @return whether the step size trains (its gradient is non-zero); default {@code true}
   */
  default boolean learnsStep() {
    return true;
  }

  /**
   * @return whether the zero point trains; default {@code false}
   */
  default boolean learnsZeroPoint() {
    return false;
  }

  /**
   * Initial parameters from a calibrated range per group (PTQ, DESIGN.md 1.3).
   *
   * @param lo the lowest value to represent, per group
   * @param hi the highest value to represent, per group ({@code hi >= lo})
   * @return new parameters with {@code lo.length} groups
   */
  QuantParams initialize(float[] lo, float[] hi);

  /**
   * Fake-quantizes {@code x} into {@code out}.
   *
   * @param x the input, FP32, {@code groups × n} values
   * @param params the parameters, {@code groups} entries
   * @param out the output, same length as {@code x}; may be {@code x}
   */
  void forward(float[] x, QuantParams params, float[] out);

  /**
   * The backward pass of {@link #forward}.
   *
   * @param x the forward input
   * @param gradOut the gradient of the loss w.r.t. the forward output, same length
   * @param params the parameters used in the forward pass
   * @param gradIn receives the gradient w.r.t. {@code x} (overwritten)
   * @param gradParams receives the gradient w.r.t. step and zero point (overwritten); entries of
   *     parameters the quantizer does not learn are 0
   */
  void backward(
      float[] x, float[] gradOut, QuantParams params, float[] gradIn, QuantParams gradParams);
}
