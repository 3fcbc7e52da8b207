package org.efqat.models.export.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import org.efqat.api.quant.QuantGrid;

/**
 * The ONNX integer types a quantization grid is stored in: {@code INT4}/{@code UINT4} (opset 21)
 * for grids of exactly 4 bits, else {@code INT8}/{@code UINT8}, which hold every grid of 2 to 8
 * bits (a 3-bit grid {@code [-4, 3]} is stored in INT8; only the range differs).
 */
enum IntType {
  /** Signed 8-bit, {@code [-128, 127]}. */
  INT8(8, true, TensorProto.DataType.INT8_VALUE),
  /** Unsigned 8-bit, {@code [0, 255]}. */
  UINT8(8, false, TensorProto.DataType.UINT8_VALUE),
  /** Signed 4-bit, {@code [-8, 7]}, two per byte (opset 21). */
  INT4(4, true, TensorProto.DataType.INT4_VALUE),
  /** Unsigned 4-bit, {@code [0, 15]}, two per byte (opset 21). */
  UINT4(4, false, TensorProto.DataType.UINT4_VALUE);

  /** The first opset whose QuantizeLinear and DequantizeLinear take INT4 and UINT4. */
  static final int INT4_OPSET = 21;

  private final int bits;
  private final boolean signed;
  private final int onnxType;

  IntType(int bits, boolean signed, int onnxType) {
    this.bits = bits;
    this.signed = signed;
    this.onnxType = onnxType;
  }

  /**
   * @return the storage bits per value
   */
  int bits() {
    return bits;
  }

  /**
   * @return the ONNX {@code TensorProto.DataType} number
   */
  int onnxType() {
    return onnxType;
  }

  /**
   * @return the smallest value
   */
  int min() {
    return signed ? -(1 << (bits - 1)) : 0;
  }

  /**
   * @return the largest value
   */
  int max() {
    return signed ? (1 << (bits - 1)) - 1 : (1 << bits) - 1;
  }

  /**
   * @param v a value
   * @return {@code v}
   * @throws IllegalArgumentException if the type cannot hold it
   */
  int check(int v) {
    if (v < min() || v > max()) {
      throw new IllegalArgumentException(
          v + " is outside " + this + " [" + min() + ", " + max() + "]");
    }
    return v;
  }

  /**
   * @param grid a quantization grid
   * @param opset the model's opset
   * @return the narrowest type that holds the grid: 4-bit at opset 21 and above when the grid has
   *     exactly 4 bits, else 8-bit; signed for a signed grid
   */
  static IntType forGrid(QuantGrid grid, int opset) {
    if (grid.bits() == 4 && opset >= INT4_OPSET) {
      return grid.signed() ? INT4 : UINT4;
    }
    return grid.signed() ? INT8 : UINT8;
  }

  /**
   * @param grid a quantization grid
   * @return whether QuantizeLinear's saturation to this type is exactly the grid's clamp
   */
  boolean saturatesTo(QuantGrid grid) {
    return min() == grid.qmin() && max() == grid.qmax();
  }
}
