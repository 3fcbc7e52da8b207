package org.efqat.core.quant;

import org.efqat.api.quant.QuantGrid;
import org.efqat.api.quant.QuantParams;
import org.efqat.api.quant.Quantizer;

/**
 * The shared forward and backward pass of the built-in quantizers (DESIGN.md 1.1):
 *
 * <pre>
 *   v  = x·(1/s) + z,   q = clamp(rint(v), qmin, qmax),   x̂ = s·(q − z)
 *   ∂x̂/∂x = 1 if qmin ≤ v ≤ qmax else 0                         (straight-through)
 *   ∂x̂/∂s = rint(v) − v inside, q − z outside                   (LSQ)
 *   ∂x̂/∂z = 0 inside, −s outside                                (LSQ+)
 * </pre>
 *
 * Step and zero-point gradients are summed over each group and multiplied by the LSQ gradient scale
 * {@code 1/sqrt(n·qmax)}, {@code n} the group's size. {@code rint} rounds half to even, as
 * PyTorch's {@code torch.round}.
 */
public abstract class AffineFakeQuantizer implements Quantizer {
  /** Smallest step a calibration may produce; keeps {@code x/s} finite for constant inputs. */
  static final float MIN_STEP = 1e-8f;

  private final QuantGrid grid;
  private final boolean learnStep;
  private final boolean learnZeroPoint;

  protected AffineFakeQuantizer(QuantGrid grid, boolean learnStep, boolean learnZeroPoint) {
    this.grid = grid;
    this.learnStep = learnStep;
    this.learnZeroPoint = learnZeroPoint;
  }

  @Override
  public final QuantGrid grid() {
    return grid;
  }

  @Override
  public final boolean isAffine() {
    return true;
  }

  @Override
  public final boolean learnsStep() {
    return learnStep;
  }

  @Override
  public final boolean learnsZeroPoint() {
    return learnZeroPoint;
  }

  /**
   * @param groupSize the number of values per group
   * @return the LSQ gradient scale {@code 1/sqrt(groupSize·qmax)}
   */
  public final double gradientScale(long groupSize) {
    return groupSize == 0 ? 0 : 1.0 / Math.sqrt((double) groupSize * grid.qmax());
  }

  @Override
  public QuantParams initialize(float[] lo, float[] hi) {
    if (lo.length != hi.length) {
      throw new IllegalArgumentException("lo has " + lo.length + " groups but hi has " + hi.length);
    }
    QuantParams params = QuantParams.ofGroups(lo.length);
    for (int g = 0; g < lo.length; g++) {
      if (!(hi[g] >= lo[g])) {
        throw new IllegalArgumentException(
            "group " + g + ": range [" + lo[g] + ", " + hi[g] + "] is empty or NaN");
      }
      if (grid.signed()) {
        float absMax = Math.max(Math.abs(lo[g]), Math.abs(hi[g]));
        params.step()[g] = Math.max(absMax / grid.qmax(), MIN_STEP);
      } else {
        float l = Math.min(lo[g], 0f);
        float h = Math.max(hi[g], 0f);
        float s = Math.max((h - l) / grid.qmax(), MIN_STEP);
        params.step()[g] = s;
        params.zeroPoint()[g] = (float) Math.rint(-l / s);
      }
    }
    return params;
  }

  @Override
  public final void forward(float[] x, QuantParams params, float[] out) {
    int n = groupSize(x.length, params);
    int qmin = grid.qmin();
    int qmax = grid.qmax();
    for (int g = 0; g < params.groups(); g++) {
      float s = params.step()[g];
      float z = params.zeroPoint()[g];
      float inv = 1f / s;
      for (int i = g * n, end = i + n; i < end; i++) {
        float q = (float) Math.rint(x[i] * inv + z);
        q = Math.max(qmin, Math.min(qmax, q));
        out[i] = s * (q - z);
      }
    }
  }

  @Override
  public final void backward(
      float[] x, float[] gradOut, QuantParams params, float[] gradIn, QuantParams gradParams) {
    int n = groupSize(x.length, params);
    if (gradOut.length != x.length || gradIn.length != x.length) {
      throw new IllegalArgumentException(
          "x has "
              + x.length
              + " values but gradOut has "
              + gradOut.length
              + " and gradIn "
              + gradIn.length);
    }
    int qmin = grid.qmin();
    int qmax = grid.qmax();
    double gradScale = gradientScale(n);
    for (int g = 0; g < params.groups(); g++) {
      float s = params.step()[g];
      float z = params.zeroPoint()[g];
      float inv = 1f / s;
      double ds = 0;
      double dz = 0;
      for (int i = g * n, end = i + n; i < end; i++) {
        float v = x[i] * inv + z;
        float go = gradOut[i];
        if (v < qmin) {
          gradIn[i] = 0f;
          ds += go * (qmin - z);
          dz -= go * s;
        } else if (v > qmax) {
          gradIn[i] = 0f;
          ds += go * (qmax - z);
          dz -= go * s;
        } else {
          gradIn[i] = go;
          ds += go * ((float) Math.rint(v) - v);
        }
      }
      gradParams.step()[g] = learnStep ? (float) (ds * gradScale) : 0f;
      gradParams.zeroPoint()[g] = learnZeroPoint ? (float) (dz * gradScale) : 0f;
    }
  }

  private static int groupSize(int length, QuantParams params) {
    int groups = params.groups();
    if (groups == 0 || length % groups != 0) {
      throw new IllegalArgumentException(
          "tensor of " + length + " values cannot be split into " + groups + " equal groups");
    }
    return length / groups;
  }
}
