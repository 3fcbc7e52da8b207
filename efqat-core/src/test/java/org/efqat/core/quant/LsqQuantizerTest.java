package org.efqat.core.quant;

import static org.assertj.core.api.Assertions.assertThat;

import org.efqat.api.quant.QuantParams;
import org.efqat.api.quant.Quantizer;
import org.efqat.testkit.QuantizerContractTest;
import org.junit.jupiter.api.Test;

class LsqQuantizerTest extends QuantizerContractTest {
  @Override
  protected Quantizer createQuantizer() {
    return new LsqQuantizer(4);
  }

  @Test
  void initializesTheStepFromTheAbsoluteMaximumPerChannel() {
    QuantParams p =
        new LsqQuantizer(4).initialize(new float[] {-0.7f, -2f}, new float[] {0.35f, 1f});
    assertThat(p.step()).containsExactly(0.1f, 2f / 7);
    assertThat(p.zeroPoint()).containsExactly(0f, 0f);
  }

  @Test
  void roundsHalfToEvenAndClipsToTheSignedGrid() {
    Quantizer q = new LsqQuantizer(3); // levels -4..3
    QuantParams p = new QuantParams(new float[] {1f}, new float[] {0f});
    float[] x = {0.5f, 1.5f, 2.5f, -0.5f, 3.6f, -7f};
    float[] out = new float[x.length];
    q.forward(x, p, out);
    assertThat(out).containsExactly(0f, 2f, 2f, -0f, 3f, -4f);
  }

  @Test
  void stepGradientFollowsLsq() {
    Quantizer q = new LsqQuantizer(3); // qmin -4, qmax 3
    QuantParams p = new QuantParams(new float[] {0.5f}, new float[] {0f});
    float[] x = {0.3f, 5f, -5f, 0.25f};
    float[] gout = {1f, 1f, 1f, 1f};
    QuantParams gp = QuantParams.ofGroups(1);
    q.backward(x, gout, p, new float[4], gp);
    // inside: rint(v) - v; above: qmax; below: qmin; scaled by 1/sqrt(4 * 3)
    double expected = ((1 - 0.6) + 3 + -4 + (0 - 0.5)) / Math.sqrt(12);
    assertThat((double) gp.step()[0])
        .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(gp.zeroPoint()[0]).isZero();
  }
}
