package org.efqat.core.train;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.efqat.core.nn.Parameter;

/**
 * SGD with momentum as PyTorch defines it: {@code g = ∇ + λ·w} (L2 decay, weights only), {@code v =
 * μ·v + g}, {@code w −= lr·(g + μ·v)} with Nesterov or {@code w −= lr·v} without.
 */
public final class Sgd implements Optimizer {
  private final double momentum;
  private final boolean nesterov;
  private final double weightDecay;
  private static final String VELOCITY = "velocity";
  private final IdentityHashMap<Parameter, float[]> velocity = new IdentityHashMap<>();

  /**
   * @param momentum μ in [0, 1)
   * @param nesterov Nesterov momentum
   * @param weightDecay λ ≥ 0, applied to weights only
   */
  public Sgd(double momentum, boolean nesterov, double weightDecay) {
    this.momentum = momentum;
    this.nesterov = nesterov;
    this.weightDecay = weightDecay;
  }

  @Override
  public void step(List<Parameter> parameters, double lr) {
    for (Parameter p : parameters) {
      float[] w = p.value();
      float[] grad = p.grad();
      float[] v = velocity.computeIfAbsent(p, k -> new float[w.length]);
      double decay = RowUpdate.decays(p) ? weightDecay : 0;
      int size = p.rowSize();
      for (int r : RowUpdate.rows(p)) {
        for (int i = r * size, end = i + size; i < end; i++) {
          double g = grad[i] + decay * w[i];
          double vi = momentum * v[i] + g;
          v[i] = (float) vi;
          double d = nesterov ? g + momentum * vi : vi;
          w[i] = (float) (w[i] - lr * d);
        }
      }
      RowUpdate.clampSteps(p);
    }
  }

  @Override
  public Map<String, float[]> state() {
    Map<String, float[]> out = new LinkedHashMap<>();
    velocity.forEach((p, v) -> out.put(OptimizerState.key(p, VELOCITY), v.clone()));
    return out;
  }

  @Override
  public void restoreState(Map<String, float[]> state, List<Parameter> parameters) {
    OptimizerState.byName(state, parameters, List.of(VELOCITY));
    velocity.clear();
    for (Parameter p : parameters) {
      float[] v = OptimizerState.take(state, p, VELOCITY, p.value().length);
      if (v != null) {
        velocity.put(p, v);
      }
    }
  }
}
