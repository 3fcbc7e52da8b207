package org.efqat.core.train;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.efqat.api.backend.FloatAccess;
import org.efqat.api.backend.ParameterKernels;
import org.efqat.api.backend.TensorOps;
import org.efqat.core.nn.Parameter;

/**
 * AdamW (Loshchilov and Hutter 2019): Adam with decoupled weight decay on weights. The step count
 * of the bias correction is kept per row, so a frozen row's moments and count stay as they were
 * until it trains again. A resident parameter ({@link Parameter#isResident}) is updated on its
 * backend ({@code TensorOps.adamwUpdate}), its moments kept there; the step counts ({@code
 * O(rows)}) stay on the heap. Any other parameter is updated on the heap by the same kernel ({@link
 * ParameterKernels#adamw}).
 */
public final class AdamW implements Optimizer {
  private static final double EPS = 1e-8;
  private static final List<String> MOMENTS = List.of("m", "v");
  private final double beta1;
  private final double beta2;
  private final double weightDecay;
  private final OptimizerSlots slots = new OptimizerSlots();
  private final IdentityHashMap<Parameter, int[]> counts = new IdentityHashMap<>();

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
      double decay = RowUpdate.decays(p) ? weightDecay : 0;
      int[] rows = RowUpdate.rows(p);
      int[] steps = countStep(p, rows);
      float floor = RowUpdate.floor(p);
      if (p.isResident()) {
        TensorOps ops = p.residentOps();
        ops.adamwUpdate(
            p.valueTensor(),
            p.gradTensor(),
            slots.tensor(p, "m"),
            slots.tensor(p, "v"),
            rows,
            steps,
            lr,
            beta1,
            beta2,
            EPS,
            decay,
            floor);
      } else {
        ParameterKernels.adamw(
            FloatAccess.of(p.value()),
            FloatAccess.of(p.grad()),
            FloatAccess.of(slots.heap(p, "m")),
            FloatAccess.of(slots.heap(p, "v")),
            rows,
            steps,
            p.rows(),
            p.rowSize(),
            lr,
            beta1,
            beta2,
            EPS,
            decay,
            floor);
      }
    }
  }

  /**
   * @return the step count of each row updated now, this step counted
   */
  private int[] countStep(Parameter p, int[] rows) {
    int[] t = counts.computeIfAbsent(p, k -> new int[k.rows()]);
    int[] steps = new int[RowUpdate.count(p)];
    for (int i = 0; i < steps.length; i++) {
      steps[i] = ++t[rows == null ? i : rows[i]];
    }
    return steps;
  }

  @Override
  public Map<String, float[]> state() {
    Map<String, float[]> out = slots.snapshot();
    counts.forEach(
        (p, c) -> {
          float[] t = new float[c.length]; // step counts, exact in float up to 2^24
          for (int i = 0; i < t.length; i++) {
            t[i] = c[i];
          }
          out.put(OptimizerState.key(p, "t"), t);
        });
    return out;
  }

  @Override
  public void restoreState(Map<String, float[]> saved, List<Parameter> parameters) {
    OptimizerState.byName(saved, parameters, List.of("m", "v", "t"));
    for (Parameter p : parameters) {
      int present = 0;
      for (String slot : List.of("m", "v", "t")) {
        present += saved.containsKey(OptimizerState.key(p, slot)) ? 1 : 0;
      }
      if (present != 0 && present != 3) {
        throw new IllegalArgumentException(
            "optimizer state of " + p.name() + " is incomplete: AdamW needs m, v and t");
      }
    }
    slots.restore(saved, parameters, MOMENTS);
    counts.clear();
    for (Parameter p : parameters) {
      float[] t = OptimizerState.take(saved, p, "t", p.rows());
      if (t != null) {
        int[] steps = new int[t.length];
        for (int i = 0; i < t.length; i++) {
          steps[i] = (int) t[i];
        }
        counts.put(p, steps);
      }
    }
  }

  @Override
  public void release() {
    slots.release();
  }
}
