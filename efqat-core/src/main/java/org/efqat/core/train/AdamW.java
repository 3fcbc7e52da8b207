package org.efqat.core.train;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.efqat.core.nn.Parameter;

/**
 * AdamW (Loshchilov and Hutter 2019): Adam with decoupled weight decay on weights. The step count
 * of the bias correction is kept per row, so a frozen row's moments and count stay as they were
 * until it trains again.
 */
public final class AdamW implements Optimizer {
  private static final double EPS = 1e-8;
  private final double beta1;
  private final double beta2;
  private final double weightDecay;
  private final IdentityHashMap<Parameter, State> state = new IdentityHashMap<>();

  private record State(float[] m, float[] v, int[] t) {}

  /**
   * @param beta1 first-moment decay
   * @param beta2 second-moment decay
   * @param weightDecay decoupled decay λ, weights only
   */
  public AdamW(double beta1, double beta2, double weightDecay) {
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.weightDecay = weightDecay;
  }

  @Override
  public void step(List<Parameter> parameters, double lr) {
    for (Parameter p : parameters) {
      float[] w = p.value();
      float[] grad = p.grad();
      State s =
          state.computeIfAbsent(
              p, k -> new State(new float[w.length], new float[w.length], new int[k.rows()]));
      double decay = RowUpdate.decays(p) ? weightDecay : 0;
      int size = p.rowSize();
      for (int r : RowUpdate.rows(p)) {
        int t = ++s.t()[r];
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        for (int i = r * size, end = i + size; i < end; i++) {
          double g = grad[i];
          double m = beta1 * s.m()[i] + (1 - beta1) * g;
          double v = beta2 * s.v()[i] + (1 - beta2) * g * g;
          s.m()[i] = (float) m;
          s.v()[i] = (float) v;
          double update = (m / c1) / (Math.sqrt(v / c2) + EPS) + decay * w[i];
          w[i] = (float) (w[i] - lr * update);
        }
      }
      RowUpdate.clampSteps(p);
    }
  }

  @Override
  public Map<String, float[]> state() {
    Map<String, float[]> out = new LinkedHashMap<>();
    state.forEach(
        (p, s) -> {
          out.put(OptimizerState.key(p, "m"), s.m().clone());
          out.put(OptimizerState.key(p, "v"), s.v().clone());
          float[] t = new float[s.t().length]; // step counts, exact in float up to 2^24
          for (int i = 0; i < t.length; i++) {
            t[i] = s.t()[i];
          }
          out.put(OptimizerState.key(p, "t"), t);
        });
    return out;
  }

  @Override
  public void restoreState(Map<String, float[]> saved, List<Parameter> parameters) {
    OptimizerState.byName(saved, parameters, List.of("m", "v", "t"));
    state.clear();
    for (Parameter p : parameters) {
      float[] m = OptimizerState.take(saved, p, "m", p.value().length);
      float[] v = OptimizerState.take(saved, p, "v", p.value().length);
      float[] t = OptimizerState.take(saved, p, "t", p.rows());
      if (m == null || v == null || t == null) {
        if (m != null || v != null || t != null) {
          throw new IllegalArgumentException(
              "optimizer state of " + p.name() + " is incomplete: AdamW needs m, v and t");
        }
        continue;
      }
      int[] steps = new int[t.length];
      for (int i = 0; i < t.length; i++) {
        steps[i] = (int) t[i];
      }
      state.put(p, new State(m, v, steps));
    }
  }
}
