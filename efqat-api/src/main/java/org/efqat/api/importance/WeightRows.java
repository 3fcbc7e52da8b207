package org.efqat.api.importance;

import java.util.Objects;

/**
 * A read-only view of one quantized layer's latent full-precision weights, row-major.
 *
 * <p>Row {@code r} (an output channel) is {@code weights[r*cols .. (r+1)*cols)}. For a Conv2d layer
 * {@code cols = C_in*kh*kw} (the im2col view, DESIGN.md 1.1).
 *
 * @param layer the layer's name, for example {@code "layer1.0.conv1"}
 * @param rows {@code C_out}, the number of rows (output channels), {@code >= 0}
 * @param cols {@code K}, the number of weights per row, {@code >= 0}
 * @param weights FP32 latent weights of shape {@code [rows, cols]}; not copied, do not modify
 * @param gradients FP32 gradient of the loss w.r.t. the weights, same shape, or {@code null} when
 *     the trainer has none (metrics that need it declare {@link ImportanceMetric#needsGradients()})
 */
public record WeightRows(String layer, int rows, int cols, float[] weights, float[] gradients) {
  /** Checks the shapes. */
  public WeightRows {
    Objects.requireNonNull(layer, "layer is null");
    Objects.requireNonNull(weights, "weights is null");
    if (rows < 0 || cols < 0 || (long) rows * cols != weights.length) {
      throw new IllegalArgumentException(
          "layer "
              + layer
              + ": weights has "
              + weights.length
              + " values, expected ["
              + rows
              + ", "
              + cols
              + "]");
    }
    if (gradients != null && gradients.length != weights.length) {
      throw new IllegalArgumentException(
          "layer "
              + layer
              + ": gradients has "
              + gradients.length
              + " values, expected ["
              + rows
              + ", "
              + cols
              + "]");
    }
  }

  /**
   * @param layer the layer's name
   * @param rows the number of rows
   * @param cols the number of weights per row
   * @param weights FP32 weights {@code [rows, cols]}
   * @return a view without gradients
   */
  public static WeightRows of(String layer, int rows, int cols, float[] weights) {
    return new WeightRows(layer, rows, cols, weights, null);
  }
}
