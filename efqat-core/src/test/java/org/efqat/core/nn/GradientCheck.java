package org.efqat.core.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.Tensor;

/**
 * Central finite differences of {@code L = Σ g ⊙ layer(x)} against a layer's backward pass, on a
 * sample of input and parameter coordinates. FP32 kernels limit the precision: with {@code ε =
 * 3e-3} and O(1) values the tolerance is {@code 2e-2·|∂| + 2e-3}. Where a ReLU or a max switches
 * within ±ε the loss is not differentiable; such coordinates are recognised by the difference
 * quotients at ε and ε/3 disagreeing, skipped, and counted (at most a quarter may be skipped).
 */
public final class GradientCheck {
  static final double EPS = 3e-3;
  static final double RTOL = 2e-2;

  /** For composite blocks: every coordinate feeds many ReLUs, so near-kinks are more frequent. */
  static final double COMPOSITE_RTOL = 5e-2;

  static final double ATOL = 2e-3;

  /** Difference quotients at ε and ε/3 further apart than this mark a kink. */
  static final double KINK_RTOL = 5e-3;

  private final Backend backend;
  private final Layer layer;
  private final FeatureShape inShape;
  private final float[] x;
  private float[] g;
  private final SplittableRandom random;
  private double rtol = RTOL;
  private boolean inputIsData;
  private double quantizerEps; // 0: quantizer parameters are checked like the others
  private double quantizerAtol;

  /**
   * Uses fixed input values that have no gradient (token ids): only the parameters are checked.
   *
   * @param values the input, {@code inShape.size()} values
   * @return this check
   */
  public GradientCheck withFixedInput(float[] values) {
    System.arraycopy(values, 0, x, 0, x.length);
    inputIsData = true;
    return this;
  }

  /**
   * Checks the quantizer parameters (kinds {@code WEIGHT_STEP}, {@code ACTIVATION_STEP}, {@code
   * ACTIVATION_ZERO_POINT}) with their own step and absolute tolerance, and without skipping them
   * at kinks. Their gradients carry LSQ's gradient scale {@code 1/√(n·qmax)} (a few hundredths for
   * small tensors), so at the default {@code ε} they are below the default absolute tolerance,
   * which FP32 loss noise over {@code 2ε} dictates; a larger {@code ε} lowers that noise.
   *
   * @param eps the central-difference step for those parameters
   * @param atol their absolute tolerance
   * @return this check
   */
  public GradientCheck withQuantizerParameters(double eps, double atol) {
    quantizerEps = eps;
    quantizerAtol = atol;
    return this;
  }

  private boolean isQuantizerParameter(Parameter p) {
    return quantizerEps > 0
        && (p.kind() == ParamKind.WEIGHT_STEP
            || p.kind() == ParamKind.ACTIVATION_STEP
            || p.kind() == ParamKind.ACTIVATION_ZERO_POINT);
  }

  /**
   * @return a copy of the input the check differentiates at
   */
  public float[] input() {
    return x.clone();
  }

  /**
   * @return this check with the tolerance for composite blocks
   */
  public GradientCheck composite() {
    rtol = COMPOSITE_RTOL;
    return this;
  }

  public GradientCheck(Backend backend, Layer layer, FeatureShape inShape, long seed) {
    this.backend = backend;
    this.layer = layer;
    this.inShape = inShape;
    this.random = new SplittableRandom(seed);
    this.x = new float[(int) inShape.size()];
    for (int i = 0; i < x.length; i++) {
      double v = random.nextDouble() * 2 - 1;
      x[i] = (float) (Math.signum(v) * (0.1 + Math.abs(v)));
    }
  }

  private double loss() {
    try (Tensor t = backend.ops().fromArray(x, inShape.dims())) {
      Activation y = layer.forward(new Activation(t, inShape), true);
      float[] out = backend.ops().toArray(y.tensor());
      if (g == null) {
        g = new float[out.length];
        for (int i = 0; i < g.length; i++) {
          g[i] = (float) (random.nextDouble() * 2 - 1);
        }
      }
      double l = 0;
      for (int i = 0; i < out.length; i++) {
        l += (double) g[i] * out[i];
      }
      return l;
    }
  }

  /** Central difference of the loss w.r.t. {@code values[i]}, restoring every buffer after. */
  private double difference(float[] values, int i, double eps) {
    List<float[]> buffers = new ArrayList<>();
    for (Parameter p : layer.parameters()) {
      if (p.kind() == ParamKind.BUFFER) {
        buffers.add(p.value().clone());
      }
    }
    float saved = values[i];
    values[i] = (float) (saved + eps);
    double plus = loss();
    values[i] = (float) (saved - eps);
    double minus = loss();
    values[i] = saved;
    int b = 0;
    for (Parameter p : layer.parameters()) {
      if (p.kind() == ParamKind.BUFFER) {
        System.arraycopy(buffers.get(b++), 0, p.value(), 0, p.value().length);
      }
    }
    return (plus - minus) / (2 * eps);
  }

  private int check(String what, float[] values, float[] analytic, int samples) {
    return check(what, values, analytic, samples, EPS, ATOL, true);
  }

  private int check(
      String what,
      float[] values,
      float[] analytic,
      int samples,
      double eps,
      double atol,
      boolean skipKinks) {
    int kinks = 0;
    for (int s = 0; s < Math.min(samples, values.length); s++) {
      int i = random.nextInt(values.length);
      double fd = difference(values, i, eps);
      double finer = difference(values, i, eps / 3);
      if (Math.abs(fd - finer) > KINK_RTOL * Math.abs(fd) + atol) {
        assertThat(skipKinks)
            .as("%s: dL/d%s[%d] at a kink (%s at ε, %s at ε/3)", layer.name(), what, i, fd, finer)
            .isTrue();
        kinks++;
        continue;
      }
      assertThat((double) analytic[i])
          .as("%s: dL/d%s[%d]", layer.name(), what, i)
          .isCloseTo(fd, Offset.offset(rtol * Math.abs(fd) + atol));
    }
    return kinks;
  }

  /** Runs the check on up to {@code samples} coordinates of the input and of every parameter. */
  public void run(int samples) {
    loss(); // fixes g
    List<Parameter> buffers = new ArrayList<>();
    for (Parameter p : layer.parameters()) {
      if (p.kind() == ParamKind.BUFFER) {
        buffers.add(p);
      }
    }
    List<float[]> savedBuffers = buffers.stream().map(p -> p.value().clone()).toList();
    layer.parameters().forEach(Parameter::zeroGrad);
    float[] dx;
    try (Tensor t = backend.ops().fromArray(x, inShape.dims());
        Tensor gt = backend.ops().fromArray(g, g.length)) {
      Activation y = layer.forward(new Activation(t, inShape), true);
      Activation d =
          layer.backward(new Activation(backend.ops().reshape(gt, y.shape().dims()), y.shape()));
      dx = d == null ? null : backend.ops().toArray(d.tensor());
    }
    for (int b = 0; b < buffers.size(); b++) {
      System.arraycopy(
          savedBuffers.get(b), 0, buffers.get(b).value(), 0, savedBuffers.get(b).length);
    }
    int checked = 0;
    int kinks = 0;
    if (!inputIsData) {
      kinks += check("x", x, dx, samples);
      checked += Math.min(samples, x.length);
    }
    for (Parameter p : layer.parameters()) {
      if (p.kind() != ParamKind.BUFFER) {
        float[] analytic = p.grad().clone();
        kinks +=
            isQuantizerParameter(p)
                ? check(p.name(), p.value(), analytic, samples, quantizerEps, quantizerAtol, false)
                : check(p.name(), p.value(), analytic, samples);
        checked += Math.min(samples, p.value().length);
      }
    }
    assertThat(kinks)
        .as("%s: coordinates skipped at kinks of %d", layer.name(), checked)
        .isLessThanOrEqualTo(checked / 4);
  }
}
