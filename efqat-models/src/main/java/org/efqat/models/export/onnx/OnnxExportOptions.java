package org.efqat.models.export.onnx;

/**
 * Options of {@link OnnxExporter#export}.
 *
 * @param opset the opset to write, {@value OnnxExporter#MIN_OPSET} to {@value
 *     OnnxExporter#MAX_OPSET}, or {@code null} for the lowest the graph needs: 13, 17 when it has a
 *     LayerNorm ({@code LayerNormalization}), 21 when a weight grid has exactly 4 bits (INT4
 *     storage). Below 21, 4-bit grids are stored in INT8/UINT8.
 * @param int4Activations whether 4-bit activation grids are stored as UINT4/INT4 (opset 21) too.
 *     Off by default: ONNX Runtime 1.29's default graph optimizations mishandle 4-bit activations
 *     (they move QuantizeLinear/DequantizeLinear around MaxPool into a UINT4 MaxPool it has no
 *     kernel for, and quantize the float biases of Conv layers with UINT4 inputs to INT32, which
 *     changes the results), while UINT8 with a Clip to the 4-bit range computes the same values at
 *     every optimization level. The activations' storage type does not change the file's size.
 */
public record OnnxExportOptions(Integer opset, boolean int4Activations) {
  /** The lowest opset the graph needs, INT4 weights where a weight grid has 4 bits. */
  public static final OnnxExportOptions DEFAULT = new OnnxExportOptions(null, false);

  /** Checks the range. */
  public OnnxExportOptions {
    if (opset != null && (opset < OnnxExporter.MIN_OPSET || opset > OnnxExporter.MAX_OPSET)) {
      throw new IllegalArgumentException(
          "opset must be in ["
              + OnnxExporter.MIN_OPSET
              + ", "
              + OnnxExporter.MAX_OPSET
              + "] (was "
              + opset
              + ")");
    }
  }
}
