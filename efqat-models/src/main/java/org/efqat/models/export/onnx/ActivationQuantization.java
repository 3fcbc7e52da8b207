package org.efqat.models.export.onnx;

import org.efqat.api.quant.QuantGrid;
import org.efqat.api.quant.Quantizer;
import org.efqat.core.nn.ActivationFakeQuant;
import org.efqat.core.nn.WeightLayer;

/**
 * One per-tensor activation quantizer of the network, {@code x̂ = s·(clamp(rint(x/s + z), qmin,
 * qmax) − z)} (DESIGN.md 1.1): a weight layer's input quantizer or an {@link ActivationFakeQuant}
 * (attention's matmul operands).
 *
 * @param name the checkpoint prefix of its parameters, for messages and value names, e.g. {@code
 *     fc.input} or {@code encoder.layer.0.attention.self.probs_act}
 * @param grid its grid, {@code [0, 2^b − 1]} for the unsigned activation grids
 * @param scale {@code s}, positive and finite
 * @param zeroPoint {@code z}, finite; LSQ+ trains it continuously, so it need not be an integer
 */
record ActivationQuantization(String name, QuantGrid grid, float scale, float zeroPoint) {

  /**
   * @param l a quantized weight layer
   * @return its input quantizer
   */
  static ActivationQuantization inputOf(WeightLayer l) {
    return of(
        l.name() + ".input",
        l.name(),
        l.getClass(),
        l.quantization().inputs(),
        l.inputStep().value()[0],
        l.inputZeroPoint().value()[0]);
  }

  /**
   * @param a a quantized activation quantizer
   * @param owner the layer it belongs to, for messages
   * @return its parameters
   */
  static ActivationQuantization of(ActivationFakeQuant a, Class<?> owner) {
    return of(
        a.name(), a.name(), owner, a.quantizer(), a.step().value()[0], a.zeroPoint().value()[0]);
  }

  private static ActivationQuantization of(
      String name, String layer, Class<?> owner, Quantizer q, float s, float z) {
    if (!q.isAffine()) {
      throw OnnxExportException.layer(
          layer,
          owner,
          "its activation quantizer "
              + q.getClass().getName()
              + " is not affine (s·(clamp(round(x/s + z)) − z)); QuantizeLinear/DequantizeLinear"
              + " cannot express it");
    }
    if (!(s > 0) || !Float.isFinite(s) || !Float.isFinite(z)) {
      throw OnnxExportException.layer(
          layer, owner, "activation quantizer " + name + " has step " + s + " and zero point " + z);
    }
    return new ActivationQuantization(name, q.grid(), s, z);
  }
}
