package org.efqat.models.export.onnx;

import org.efqat.api.quant.QuantGrid;
import org.efqat.api.quant.QuantParams;
import org.efqat.api.quant.Quantizer;
import org.efqat.core.nn.Conv2d;
import org.efqat.core.nn.LayerQuantization;
import org.efqat.core.nn.WeightLayer;

/**
 * The integer weights of one quantized weight layer, as deployed: {@code q[r, j] = clamp(rint(W[r,
 * j]·(1/s_r) + z_r), qmin, qmax)} in FP32 with round-half-even, exactly as the fake quantizer
 * computes them (DESIGN.md 1.1; {@code AffineFakeQuantizer}), so that {@code s_r·(q[r, j] − z_r)}
 * is bit for bit the weight {@code Ŵ} the network multiplies with. The layout is PyTorch's and
 * ONNX's: {@code [C_out, C_in, k, k]} for a convolution, {@code [C_out, C_in]} for a Linear layer.
 *
 * @param layer the layer's checkpoint name
 * @param grid the weight grid ({@code [-2^(b-1), 2^(b-1) - 1]} for the symmetric signed grids)
 * @param dims the weight shape, {@code [C_out, C_in, k, k]} or {@code [C_out, C_in]}
 * @param values {@code q}, row-major in {@code dims}
 * @param scale {@code s_r}, {@code [C_out]}
 * @param zeroPoint {@code z_r}, {@code [C_out]}, integers (0 for symmetric grids)
 */
record IntegerWeights(
    String layer, QuantGrid grid, long[] dims, int[] values, float[] scale, int[] zeroPoint) {

  /**
   * @param l a quantized weight layer
   * @return its integer weights
   * @throws OnnxExportException if the weight quantizer is not affine, a step is not a positive
   *     finite number, a zero point is not an integer, or the quantizer's own output differs from
   *     {@code s·(q − z)} (a plugin that is not the affine fake quantizer it claims to be)
   */
  static IntegerWeights of(WeightLayer l) {
    LayerQuantization lq = l.quantization();
    Quantizer quantizer = lq.weights();
    if (!quantizer.isAffine()) {
      throw OnnxExportException.layer(
          l.name(),
          l.getClass(),
          "its weight quantizer "
              + quantizer.getClass().getName()
              + " is not affine (s·(clamp(round(w/s + z)) − z)); QuantizeLinear/DequantizeLinear"
              + " cannot express it");
    }
    QuantGrid grid = quantizer.grid();
    int rows = l.outChannels();
    float[] w = l.weight().value();
    int k = w.length / rows;
    float[] s = l.weightStep().value().clone();
    float[] z = l.weightZeroPoint().value().clone();
    int[] zi = new int[rows];
    int[] q = new int[w.length];
    for (int r = 0; r < rows; r++) {
      if (!(s[r] > 0) || !Float.isFinite(s[r])) {
        throw OnnxExportException.layer(
            l.name(), l.getClass(), "weight step of row " + r + " is " + s[r] + ", not > 0");
      }
      if (z[r] != Math.rint(z[r]) || Math.abs(z[r]) > 255) {
        throw OnnxExportException.layer(
            l.name(),
            l.getClass(),
            "weight zero point of row "
                + r
                + " is "
                + z[r]
                + ", not an integer; DequantizeLinear needs integer zero points");
      }
      zi[r] = (int) z[r];
      float inv = 1f / s[r];
      for (int j = r * k, end = j + k; j < end; j++) {
        float v = (float) Math.rint(w[j] * inv + z[r]);
        q[j] = (int) Math.max(grid.qmin(), Math.min(grid.qmax(), v));
      }
    }
    checkAgainstQuantizer(l, quantizer, w, s, z, q, k);
    boolean conv = l instanceof Conv2d;
    int kk = l.kernel();
    long[] dims =
        conv ? new long[] {rows, l.inChannels(), kk, kk} : new long[] {rows, l.inChannels()};
    return new IntegerWeights(
        l.name(), grid, dims, conv ? toChannelsFirst(q, rows, l.inChannels(), kk) : q, s, zi);
  }

  /** {@code Ŵ} from the quantizer itself must equal {@code s·(q − z)} bit for bit. */
  private static void checkAgainstQuantizer(
      WeightLayer l, Quantizer quantizer, float[] w, float[] s, float[] z, int[] q, int k) {
    float[] fake = new float[w.length];
    quantizer.forward(w, new QuantParams(s.clone(), z.clone()), fake);
    for (int i = 0; i < w.length; i++) {
      int r = i / k;
      float mine = s[r] * (q[i] - z[r]);
      if (Float.floatToIntBits(mine) != Float.floatToIntBits(fake[i]) && mine != fake[i]) {
        throw OnnxExportException.layer(
            l.name(),
            l.getClass(),
            "its weight quantizer "
                + quantizer.getClass().getName()
                + " gives "
                + fake[i]
                + " for weight "
                + i
                + " where s·(clamp(round(w/s + z)) − z) is "
                + mine
                + "; it is not the affine quantizer it declares");
      }
    }
  }

  /** {@code [C_out, (ky, kx, c_in)]} → {@code [C_out, c_in, ky, kx]}. */
  private static int[] toChannelsFirst(int[] q, int rows, int cin, int k) {
    int[] out = new int[q.length];
    int per = cin * k * k;
    for (int o = 0; o < rows; o++) {
      for (int y = 0; y < k; y++) {
        for (int x = 0; x < k; x++) {
          for (int c = 0; c < cin; c++) {
            out[o * per + (c * k + y) * k + x] = q[o * per + (y * k + x) * cin + c];
          }
        }
      }
    }
    return out;
  }

  /**
   * @param w weights {@code [C_out, (ky, kx, c_in)]} as a weight layer holds them
   * @param rows {@code C_out}
   * @param cin {@code C_in}
   * @param k the kernel size
   * @return the same in {@code [C_out, c_in, ky, kx]} order
   */
  static float[] toChannelsFirst(float[] w, int rows, int cin, int k) {
    float[] out = new float[w.length];
    int per = cin * k * k;
    for (int o = 0; o < rows; o++) {
      for (int y = 0; y < k; y++) {
        for (int x = 0; x < k; x++) {
          for (int c = 0; c < cin; c++) {
            out[o * per + (c * k + y) * k + x] = w[o * per + (y * k + x) * cin + c];
          }
        }
      }
    }
    return out;
  }
}
