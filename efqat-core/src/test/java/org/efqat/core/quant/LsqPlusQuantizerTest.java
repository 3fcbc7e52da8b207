package org.efqat.core.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.efqat.api.quant.QuantParams;
import org.efqat.api.quant.Quantizer;
import org.efqat.testkit.QuantizerContractTest;
import org.junit.jupiter.api.Test;

class LsqPlusQuantizerTest extends QuantizerContractTest {
  @Override
  protected Quantizer createQuantizer() {
    return new LsqPlusQuantizer(4, true);
  }

  @Test
  void initializesAnAsymmetricRangeThatContainsZero() {
    QuantParams p = new LsqPlusQuantizer(8, true).initialize(new float[] {-1f}, new float[] {3f});
    assertThat(p.step()[0]).isCloseTo(4f / 255, within(1e-7f));
    assertThat(p.zeroPoint()[0]).isEqualTo(64f); // rint(1 / (4/255)) = rint(63.75)
    QuantParams positive =
        new LsqPlusQuantizer(8, true).initialize(new float[] {2f}, new float[] {4f});
    assertThat(positive.zeroPoint()[0]).isZero(); // range widened to [0, 4]
  }

  /**
   * The step and zero-point gradients, away from rounding boundaries, match the derivative of the
   * loss {@code sum(gout * forward(x))} with the rounded levels held fixed, which is exactly what
   * LSQ/LSQ+ define. Checked by central differences on the clipped elements (where the output is
   * {@code s·(q − z)}, smooth in s and z) and analytically on the rest.
   */
  @Test
  void parameterGradientsMatchTheDefinition() {
    Quantizer q = new LsqPlusQuantizer(4, true);
    SplittableRandom r = new SplittableRandom(11);
    int n = 64;
    float[] x = new float[n];
    float[] gout = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (r.nextDouble() * 6 - 2);
      gout[i] = (float) (r.nextDouble() * 2 - 1);
    }
    QuantParams p = new QuantParams(new float[] {0.2f}, new float[] {3f});
    QuantParams gp = QuantParams.ofGroups(1);
    q.backward(x, gout, p, new float[n], gp);
    double ds = 0;
    double dz = 0;
    for (int i = 0; i < n; i++) {
      double v = x[i] / 0.2 + 3;
      if (v < 0) {
        ds += gout[i] * (0 - 3);
        dz += gout[i] * -0.2;
      } else if (v > 15) {
        ds += gout[i] * (15 - 3);
        dz += gout[i] * -0.2;
      } else {
        ds += gout[i] * (Math.rint(v) - v);
      }
    }
    double scale = 1 / Math.sqrt(n * 15.0);
    assertThat((double) gp.step()[0]).isCloseTo(ds * scale, within(1e-5));
    assertThat((double) gp.zeroPoint()[0]).isCloseTo(dz * scale, within(1e-5));
  }

  @Test
  void stepGradientMatchesFiniteDifferencesOfTheClippedPart() {
    Quantizer q = new LsqPlusQuantizer(4, true);
    float[] x = {-5f, 9f, 12f}; // all clipped for s = 0.5, z = 2
    float[] gout = {0.3f, -0.7f, 1.1f};
    QuantParams p = new QuantParams(new float[] {0.5f}, new float[] {2f});
    QuantParams gp = QuantParams.ofGroups(1);
    q.backward(x, gout, p, new float[3], gp);
    double h = 1e-3;
    double fd = (loss(q, x, gout, 0.5 + h, 2) - loss(q, x, gout, 0.5 - h, 2)) / (2 * h);
    double fdz = (loss(q, x, gout, 0.5, 2 + h) - loss(q, x, gout, 0.5, 2 - h)) / (2 * h);
    double scale = 1 / Math.sqrt(3 * 15.0);
    assertThat((double) gp.step()[0]).isCloseTo(fd * scale, within(1e-3));
    assertThat((double) gp.zeroPoint()[0]).isCloseTo(fdz * scale, within(1e-3));
  }

  private static double loss(Quantizer q, float[] x, float[] gout, double s, double z) {
    float[] out = new float[x.length];
    q.forward(x, new QuantParams(new float[] {(float) s}, new float[] {(float) z}), out);
    double l = 0;
    for (int i = 0; i < x.length; i++) {
      l += gout[i] * out[i];
    }
    return l;
  }

  @Test
  void aFixedZeroPointGetsNoGradient() {
    Quantizer q = new LsqPlusQuantizer(4, false);
    QuantParams gp = QuantParams.ofGroups(1);
    q.backward(
        new float[] {-9f},
        new float[] {1f},
        new QuantParams(new float[] {1f}, new float[] {2f}),
        new float[1],
        gp);
    assertThat(gp.zeroPoint()[0]).isZero();
    assertThat(gp.step()[0]).isNotZero();
  }
}
