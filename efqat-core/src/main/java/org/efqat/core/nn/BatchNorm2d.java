package org.efqat.core.nn;

import java.util.Arrays;
import java.util.List;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;

/**
 * Batch normalization over the channels of an NHWC batch (PyTorch {@code BatchNorm2d}): training
 * uses the batch mean and biased variance over {@code M = n·h·w} positions and updates the running
 * statistics with momentum {@value #MOMENTUM} (unbiased variance, as PyTorch); evaluation uses the
 * running statistics. Names: {@code <name>.weight} (γ), {@code .bias} (β), {@code .running_mean},
 * {@code .running_var}.
 */
public final class BatchNorm2d implements Layer {
  /** PyTorch's default running-statistics momentum. */
  public static final float MOMENTUM = 0.1f;

  /** PyTorch's default epsilon. */
  public static final float EPS = 1e-5f;

  private final String name;
  private final int channels;
  private final Parameter gamma;
  private final Parameter beta;
  private final Parameter runningMean;
  private final Parameter runningVar;
  private final TensorCache cache;
  private float[] invStd;
  private FeatureShape lastShape;

  /**
   * @param backend where it computes
   * @param name the checkpoint prefix
   * @param channels the channel count
   */
  public BatchNorm2d(Backend backend, String name, int channels) {
    this.name = name;
    this.channels = channels;
    float[] ones = new float[channels];
    Arrays.fill(ones, 1f);
    gamma = new Parameter(name + ".weight", ParamKind.NORM_SCALE, ones.clone(), channels);
    beta = new Parameter(name + ".bias", ParamKind.NORM_SHIFT, new float[channels], channels);
    runningMean =
        new Parameter(name + ".running_mean", ParamKind.BUFFER, new float[channels], channels);
    runningVar = new Parameter(name + ".running_var", ParamKind.BUFFER, ones.clone(), channels);
    cache = new TensorCache(backend);
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * @return γ
   */
  public Parameter gamma() {
    return gamma;
  }

  /**
   * @return β
   */
  public Parameter beta() {
    return beta;
  }

  /**
   * @return the running mean
   */
  public Parameter runningMean() {
    return runningMean;
  }

  /**
   * @return the running (unbiased) variance
   */
  public Parameter runningVar() {
    return runningVar;
  }

  @Override
  public Activation forward(Activation input, boolean training) {
    TensorOps ops = cache.backend().ops();
    FeatureShape s = input.shape();
    if (s.c() != channels) {
      throw new IllegalArgumentException(
          name + ": input " + s + " has " + s.c() + " channels, expected " + channels);
    }
    Tensor x = ops.reshape(input.tensor(), s.matrix());
    Tensor y = cache.get("output", s.matrix());
    float[] g = gamma.value();
    float[] b = beta.value();
    float[] scale = new float[channels];
    float[] shift = new float[channels];
    if (!training) {
      for (int c = 0; c < channels; c++) {
        float inv = (float) (1.0 / Math.sqrt(runningVar.value()[c] + EPS));
        scale[c] = g[c] * inv;
        shift[c] = b[c] - runningMean.value()[c] * g[c] * inv;
      }
      ops.columnAffine(x, scale, shift, y);
      return new Activation(y, s);
    }
    long m = s.n() * (long) s.h() * s.w();
    float[] sum = new float[channels];
    float[] sumSq = new float[channels];
    ops.columnSums(x, sum);
    ops.columnDots(x, x, sumSq);
    invStd = new float[channels];
    float[] negMeanInv = new float[channels];
    for (int c = 0; c < channels; c++) {
      double mean = sum[c] / (double) m;
      double var = Math.max(sumSq[c] / (double) m - mean * mean, 0.0);
      invStd[c] = (float) (1.0 / Math.sqrt(var + EPS));
      negMeanInv[c] = (float) (-mean * invStd[c]);
      double unbiased = m > 1 ? var * m / (m - 1) : var;
      runningMean.value()[c] = (float) ((1 - MOMENTUM) * runningMean.value()[c] + MOMENTUM * mean);
      runningVar.value()[c] =
          (float) ((1 - MOMENTUM) * runningVar.value()[c] + MOMENTUM * unbiased);
    }
    Tensor xhat = cache.get("xhat", s.matrix());
    ops.columnAffine(x, invStd, negMeanInv, xhat);
    ops.columnAffine(xhat, g, b, y);
    lastShape = s;
    return new Activation(y, s);
  }

  /** {@code dβ = Σ dy}, {@code dγ = Σ dy·x̂}, {@code dx = (γ·σ⁻¹/M)·(M·dy − dβ − x̂·dγ)}. */
  @Override
  public Activation backward(Activation gradOutput) {
    if (lastShape == null) {
      throw new IllegalStateException(name + ": backward without a training forward pass");
    }
    TensorOps ops = cache.backend().ops();
    FeatureShape s = lastShape;
    Tensor dy = ops.reshape(gradOutput.tensor(), s.matrix());
    Tensor xhat = cache.get("xhat", s.matrix());
    float[] dBeta = new float[channels];
    float[] dGamma = new float[channels];
    ops.columnSums(dy, dBeta);
    ops.columnDots(dy, xhat, dGamma);
    long m = s.n() * (long) s.h() * s.w();
    float[] dyScale = new float[channels];
    float[] xhatScale = new float[channels];
    float[] shift = new float[channels];
    for (int c = 0; c < channels; c++) {
      float k = gamma.value()[c] * invStd[c];
      dyScale[c] = k;
      xhatScale[c] = -k * dGamma[c] / m;
      shift[c] = -k * dBeta[c] / m;
      gamma.grad()[c] += dGamma[c];
      beta.grad()[c] += dBeta[c];
    }
    Tensor dx = cache.get("input_grad", s.matrix());
    ops.columnAffine2(dy, dyScale, xhat, xhatScale, shift, dx);
    lastShape = null;
    return new Activation(dx, s);
  }

  @Override
  public List<Parameter> parameters() {
    return List.of(gamma, beta, runningMean, runningVar);
  }

  @Override
  public void release() {
    cache.release();
  }
}
