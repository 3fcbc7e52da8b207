package org.efqat.core.nn;

import org.efqat.api.quant.QuantGrid;
import org.efqat.api.quant.QuantParams;
import org.efqat.api.quant.Quantizer;
import org.efqat.core.quant.AffineFakeQuantizer;

/**
 * A per-tensor affine fake quantizer whose forward pass is the smooth surrogate that its
 * straight-through / LSQ / LSQ+ backward pass is the exact gradient of, so that finite differences
 * can check a quantized layer's backward pass.
 *
 * <p>A fake quantizer {@code x̂ = s·(clamp(rint(x/s + z), qmin, qmax) − z)} is piecewise constant
 * in {@code x}, {@code s} and {@code z}: its true derivative is 0 almost everywhere, and finite
 * differences of a quantized layer say nothing about the straight-through gradient. That gradient
 * is, however, the exact derivative of the function in which the rounding residual is held fixed
 * (PyTorch's {@code (round(y) − y).detach() + y}) and the step and zero point enter through LSQ's
 * gradient scale {@code g = 1/√(n·qmax)} ({@code (s − g·s).detach() + g·s}). At the first forward
 * call ({@code s₀, z₀}, input {@code x₀}) this quantizer records the residuals {@code r_i =
 * rint(c_i) − c_i} of {@code c_i = clamp(x₀_i/s₀ + z₀, qmin, qmax)}; every call then computes
 *
 * <pre>
 *   s̃ = s₀ + g·(s − s₀),  z̃ = z₀ + g·(z − z₀),  c = clamp(x/s̃ + z̃, qmin, qmax),  x̂ = s̃·(c + r − z̃)
 * </pre>
 *
 * which equals the real fake quantizer at the recording point and is smooth away from the clipping
 * boundaries (where the layer's finite-difference check sees a kink and skips the coordinate). Its
 * derivatives are those of DESIGN.md 1.1: inside the range {@code x̂ = x + s̃·r}, so {@code ∂x̂/∂x
 * = 1}, {@code ∂x̂/∂s = g·r}, {@code ∂x̂/∂z = 0}; outside {@code x̂ = s̃·(q − z̃)}, so {@code
 * ∂x̂/∂x = 0}, {@code ∂x̂/∂s = g·(q − z)}, {@code ∂x̂/∂z = −g·s}. The backward pass is the wrapped
 * quantizer's own.
 *
 * <p>It reports {@link #isAffine()} {@code false}, so layers run it through {@link #forward} on the
 * heap; tests compare such a layer with one that runs the wrapped quantizer on the backend's
 * kernels to cover those too.
 */
public final class FrozenRoundingQuantizer implements Quantizer {
  private final AffineFakeQuantizer real;
  private float[] residuals;
  private double step0;
  private double zero0;
  private double gradScale;

  /**
   * @param real the quantizer whose backward pass is checked
   */
  public FrozenRoundingQuantizer(AffineFakeQuantizer real) {
    this.real = real;
  }

  @Override
  public QuantGrid grid() {
    return real.grid();
  }

  @Override
  public boolean learnsStep() {
    return real.learnsStep();
  }

  @Override
  public boolean learnsZeroPoint() {
    return real.learnsZeroPoint();
  }

  @Override
  public QuantParams initialize(float[] lo, float[] hi) {
    return real.initialize(lo, hi);
  }

  @Override
  public void forward(float[] x, QuantParams params, float[] out) {
    if (params.groups() != 1) {
      throw new IllegalArgumentException("per tensor only, got " + params.groups() + " groups");
    }
    int qmin = grid().qmin();
    int qmax = grid().qmax();
    if (residuals == null) {
      step0 = params.step()[0];
      zero0 = params.zeroPoint()[0];
      gradScale = real.gradientScale(x.length);
      residuals = new float[x.length];
      for (int i = 0; i < x.length; i++) {
        double c = clamp(x[i] / step0 + zero0, qmin, qmax);
        residuals[i] = (float) (Math.rint(c) - c);
      }
    }
    if (x.length != residuals.length) {
      throw new IllegalArgumentException(
          "recorded " + residuals.length + " values, got " + x.length);
    }
    double s = step0 + gradScale * (params.step()[0] - step0);
    double z = zero0 + gradScale * (params.zeroPoint()[0] - zero0);
    for (int i = 0; i < x.length; i++) {
      double c = clamp(x[i] / s + z, qmin, qmax);
      out[i] = (float) (s * (c + residuals[i] - z));
    }
  }

  private static double clamp(double v, int lo, int hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  @Override
  public void backward(
      float[] x, float[] gradOut, QuantParams params, float[] gradIn, QuantParams gradParams) {
    real.backward(x, gradOut, params, gradIn, gradParams);
  }
}
