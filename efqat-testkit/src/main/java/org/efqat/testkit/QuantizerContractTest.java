package org.efqat.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.efqat.api.quant.QuantGrid;
import org.efqat.api.quant.QuantParams;
import org.efqat.api.quant.Quantizer;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Quantizer} must do: outputs lie on its grid, values inside the range round-trip
 * within half a step, and the straight-through input gradient is the output gradient inside the
 * range and 0 outside. Extend it and implement {@link #createQuantizer()}.
 */
public abstract class QuantizerContractTest {

  /**
   * @return the quantizer under test
   */
  protected abstract Quantizer createQuantizer();

  @Test
  void outputsLieOnTheGridAndRoundTripWithinHalfAStep() {
    Quantizer q = createQuantizer();
    QuantGrid grid = q.grid();
    float[] x = ReferenceMath.uniform(new SplittableRandom(7), 2 * 50);
    QuantParams p = q.initialize(new float[] {-1f, -0.5f}, new float[] {1f, 0.5f});
    float[] out = new float[x.length];
    q.forward(x, p, out);
    for (int i = 0; i < x.length; i++) {
      int g = i / 50;
      double level = out[i] / p.step()[g] + p.zeroPoint()[g];
      assertThat(Math.rint(level))
          .as("element %d on the grid", i)
          .isCloseTo(level, org.assertj.core.data.Offset.offset(1e-3));
      assertThat(level).isBetween(grid.qmin() - 1e-3, grid.qmax() + 1e-3);
      double v = x[i] / p.step()[g] + p.zeroPoint()[g];
      if (v >= grid.qmin() && v <= grid.qmax()) {
        assertThat((double) Math.abs(out[i] - x[i])).isLessThanOrEqualTo(p.step()[g] * 0.5001);
      }
    }
  }

  @Test
  void inputGradientIsStraightThroughInsideTheRangeAndZeroOutside() {
    Quantizer q = createQuantizer();
    QuantParams p = q.initialize(new float[] {-1f}, new float[] {1f});
    float[] x = {0.1f, -0.3f, 5f, -5f};
    float[] gout = {1f, 2f, 3f, 4f};
    float[] gin = new float[4];
    QuantParams gp = QuantParams.ofGroups(1);
    q.backward(x, gout, p, gin, gp);
    assertThat(gin[0]).isEqualTo(1f);
    assertThat(gin[1]).isEqualTo(2f);
    assertThat(gin[2]).isZero();
    assertThat(gin[3]).isZero();
  }
}
