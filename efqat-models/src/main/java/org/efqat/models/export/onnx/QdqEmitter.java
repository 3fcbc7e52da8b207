package org.efqat.models.export.onnx;

import static org.efqat.models.export.onnx.OnnxGraphBuilder.attr;

import java.util.List;
import org.efqat.api.quant.QuantGrid;

/**
 * Writes the quantizers as {@code QuantizeLinear}/{@code DequantizeLinear} (QDQ). ONNX computes
 * {@code q = saturate(round(x / y_scale) + y_zero_point)} with round-half-even and {@code x̂ = (q −
 * y_zero_point)·x_scale}; our fake quantizer computes {@code x̂ = s·(clamp(rint(x/s + z), qmin,
 * qmax) − z)}. They agree with {@code y_scale = s} and {@code y_zero_point = z} (same sign) when
 * {@code z} is an integer and the type saturates at {@code [qmin, qmax]}. Otherwise:
 *
 * <ul>
 *   <li><b>A grid narrower than its storage type</b> (2, 3, 5, 6, 7 bits; 4-bit weights below opset
 *       21; 4-bit activations unless asked for UINT4, see {@link OnnxExportOptions}) is stored in
 *       INT8/UINT8, whose saturation is wider than the grid. Activations get a {@code Clip(x,
 *       s·(qmin − z), s·(qmax − z))} before {@code QuantizeLinear}, which rounds every clipped
 *       value to {@code qmin} or {@code qmax} exactly (the bounds divided by {@code s} are within
 *       FP32 rounding of integers); the clip sits on the float side so that {@code
 *       DequantizeLinear} still feeds the layer's op directly. Weights need nothing: their stored
 *       integers are already in the grid.
 *   <li><b>A zero point that is not an integer</b> (LSQ+ trains it continuously) is split into
 *       {@code z = z_i + f}, {@code z_i = rint(z)}: {@code Add(x, f·s) → [Clip] → QuantizeLinear(s,
 *       z_i) → DequantizeLinear(s, z_i) → Add(−f·s)}, which is {@code s·(clamp(rint(x/s + z)) − z)}
 *       in exact arithmetic.
 * </ul>
 */
final class QdqEmitter {
  private final OnnxGraphBuilder b;
  private final int opset;
  private final boolean int4Activations;
  private final ExportNotes notes;

  /**
   * @param b the graph
   * @param opset its opset
   * @param int4Activations whether 4-bit activation grids are stored in UINT4/INT4 (at opset 21)
   *     rather than in 8 bits with a Clip
   * @param notes what was used
   */
  QdqEmitter(OnnxGraphBuilder b, int opset, boolean int4Activations, ExportNotes notes) {
    this.b = b;
    this.opset = opset;
    this.int4Activations = int4Activations;
    this.notes = notes;
  }

  /**
   * @param x an FP32 value
   * @param q the quantizer
   * @return {@code x̂}, FP32, same shape
   */
  String activation(String x, ActivationQuantization q) {
    QuantGrid grid = q.grid();
    float s = q.scale();
    float zi = (float) Math.rint(q.zeroPoint());
    float fraction = q.zeroPoint() - zi;
    IntType type = IntType.forGrid(grid, int4Activations ? opset : OnnxExporter.MIN_OPSET);
    if (zi < type.min() || zi > type.max()) {
      type = grid.signed() ? IntType.INT8 : IntType.UINT8;
    }
    if (zi < type.min() || zi > type.max()) {
      throw new OnnxExportException(
          "activation quantizer "
              + q.name()
              + ": zero point "
              + q.zeroPoint()
              + " is outside "
              + type
              + " ["
              + type.min()
              + ", "
              + type.max()
              + "]; ONNX cannot hold it");
    }
    String name = q.name();
    String in = x;
    float shift = fraction * s;
    if (fraction != 0f) {
      in = b.node("Add", name + "_shifted", List.of(in, b.scalar(name + "_shift", shift)));
      notes.zeroPointShift();
    }
    if (!type.saturatesTo(grid)) {
      float lo = s * (grid.qmin() - zi);
      float hi = s * (grid.qmax() - zi);
      in =
          b.node(
              "Clip",
              name + "_clipped",
              List.of(in, b.scalar(name + "_clip_min", lo), b.scalar(name + "_clip_max", hi)));
      notes.activationClip();
    }
    notes.activation(type);
    String scale = b.scalar(name + "_scale", s);
    String zero = b.integers(name + "_zero_point", type, new long[0], new int[] {(int) zi});
    String qv = b.node("QuantizeLinear", name + "_quantized", List.of(in, scale, zero));
    String dq = b.node("DequantizeLinear", name + "_dequantized", List.of(qv, scale, zero));
    if (fraction != 0f) {
      dq = b.node("Add", name + "_unshifted", List.of(dq, b.scalar(name + "_unshift", -shift)));
    }
    return dq;
  }

  /**
   * @param w a layer's integer weights
   * @return the FP32 weight {@code DequantizeLinear(q, s, z, axis = 0)}, shaped {@code w.dims()}
   */
  String weight(IntegerWeights w) {
    IntType type = IntType.forGrid(w.grid(), opset);
    for (int z : w.zeroPoint()) {
      if (z < type.min() || z > type.max()) {
        throw new OnnxExportException(
            "layer " + w.layer() + ": weight zero point " + z + " is outside " + type);
      }
    }
    notes.weights(type, w.grid());
    String name = w.layer();
    String q = b.integers(name + ".weight_quantized", type, w.dims(), w.values());
    String scale = b.floats(name + ".weight_scale", new long[] {w.scale().length}, w.scale());
    String zero =
        b.integers(
            name + ".weight_zero_point", type, new long[] {w.zeroPoint().length}, w.zeroPoint());
    return b.node(
        "DequantizeLinear",
        name + ".weight_dequantized",
        List.of(q, scale, zero),
        attr("axis", 0L));
  }
}
