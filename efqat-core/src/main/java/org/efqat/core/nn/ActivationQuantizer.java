package org.efqat.core.nn;

import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;
import org.efqat.api.quant.QuantGrid;
import org.efqat.api.quant.QuantParams;
import org.efqat.api.quant.Quantizer;

/**
 * Runs a per-tensor input quantizer on backend tensors: affine quantizers ({@link
 * Quantizer#isAffine()}) with the backend's fused kernels, any other quantizer through its heap
 * implementation (one copy each way).
 */
final class ActivationQuantizer {
  private ActivationQuantizer() {}

  static void forward(TensorOps ops, Quantizer q, QuantParams p, Tensor x, Tensor out) {
    if (q.isAffine()) {
      QuantGrid grid = q.grid();
      ops.fakeQuantize(x, p.step()[0], p.zeroPoint()[0], grid.qmin(), grid.qmax(), out);
    } else {
      float[] v = ops.toArray(x);
      q.forward(v, p, v);
      ops.copyFrom(v, out);
    }
  }

  /**
   * @return the step and zero-point gradients, already scaled and zero where not learned
   */
  static float[] backward(
      TensorOps ops, Quantizer q, QuantParams p, Tensor x, Tensor gradOut, Tensor gradIn) {
    if (q.isAffine()) {
      QuantGrid grid = q.grid();
      float[] sums =
          ops.fakeQuantizeBackward(
              x, gradOut, p.step()[0], p.zeroPoint()[0], grid.qmin(), grid.qmax(), gradIn);
      double scale = 1.0 / Math.sqrt((double) x.size() * grid.qmax());
      return new float[] {
        q.learnsStep() ? (float) (sums[0] * scale) : 0f,
        q.learnsZeroPoint() ? (float) (sums[1] * scale) : 0f
      };
    }
    float[] xv = ops.toArray(x);
    float[] dy = ops.toArray(gradOut);
    float[] dx = new float[xv.length];
    QuantParams g = QuantParams.ofGroups(1);
    q.backward(xv, dy, p, dx, g);
    ops.copyFrom(dx, gradIn);
    return new float[] {g.step()[0], g.zeroPoint()[0]};
  }
}
