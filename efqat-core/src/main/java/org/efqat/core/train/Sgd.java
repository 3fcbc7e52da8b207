package org.efqat.core.train;

import java.util.List;
import java.util.Map;
import org.efqat.api.backend.FloatAccess;
import org.efqat.api.backend.ParameterKernels;
import org.efqat.api.backend.TensorOps;
import org.efqat.core.nn.Parameter;

/**
 * SGD with momentum as PyTorch defines it: {@code g = ∇ + λ·w} (L2 decay, weights only), {@code v =
 * μ·v + g}, {@code w −= lr·(g + μ·v)} with Nesterov or {@code w −= lr·v} without. A resident
 * parameter ({@link Parameter#isResident}) is updated on its backend ({@code TensorOps.sgdUpdate}),
 * its velocity kept there; any other on the heap, by the same kernel ({@link
 * ParameterKernels#sgd}).
 */
public final class Sgd implements Optimizer {
  private static final String VELOCITY = "velocity";
  private final double momentum;
  private final boolean nesterov;
  private final double weightDecay;
  private final OptimizerSlots slots = new OptimizerSlots();

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
      double decay = RowUpdate.decays(p) ? weightDecay : 0;
      int[] rows = RowUpdate.rows(p);
      float floor = RowUpdate.floor(p);
      if (p.isResident()) {
        TensorOps ops = p.residentOps();
        ops.sgdUpdate(
            p.valueTensor(),
            p.gradTensor(),
            slots.tensor(p, VELOCITY),
            rows,
            lr,
            momentum,
            nesterov,
            decay,
            floor);
      } else {
        ParameterKernels.sgd(
            FloatAccess.of(p.value()),
            FloatAccess.of(p.grad()),
            FloatAccess.of(slots.heap(p, VELOCITY)),
            rows,
            p.rows(),
            p.rowSize(),
            lr,
            momentum,
            nesterov,
            decay,
            floor);
      }
    }
  }

  @Override
  public Map<String, float[]> state() {
    return slots.snapshot();
  }

  @Override
  public void restoreState(Map<String, float[]> state, List<Parameter> parameters) {
    OptimizerState.byName(state, parameters, List.of(VELOCITY));
    slots.restore(state, parameters, List.of(VELOCITY));
  }

  @Override
  public void release() {
    slots.release();
  }
}
