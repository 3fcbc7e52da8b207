package org.efqat.core.ptq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.efqat.api.quant.Quantizer;
import org.efqat.core.quant.LsqPlusQuantizer;
import org.efqat.core.quant.LsqQuantizer;
import org.junit.jupiter.api.Test;

/**
 * The calibration methods on hand-made distributions, against values computed independently here:
 * exact extremes, linearly interpolated percentiles, and a brute-force search of the squared
 * quantization error written out in this test (not through the quantizers' own code).
 */
class RangeEstimatorTest {
  private static float[] shuffled(float[] v, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = v.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      float t = v[i];
      v[i] = v[j];
      v[j] = t;
    }
    return v;
  }

  /** 0, 1, …, n−1 in a random order. */
  private static float[] ramp(int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = i;
    }
    return shuffled(v, 3);
  }

  /** Mostly N(0, 1), plus a few far outliers on both sides. */
  private static float[] gaussianWithOutliers(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      double u1 = 1 - r.nextDouble();
      double u2 = r.nextDouble();
      v[i] = (float) (Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
    }
    v[7] = 14f;
    v[99] = -9f;
    v[n - 3] = 11f;
    return v;
  }

  /**
   * The squared error of affine fake quantization with range {@code [lo, hi]}, written out
   * independently of the quantizers: symmetric {@code [−2^(b−1), 2^(b−1)−1]} with step {@code
   * max|·|/qmax} when signed, else {@code [0, 2^b−1]} with the range widened to include 0, step
   * {@code (hi−lo)/qmax} and an integer zero point.
   */
  private static double squaredError(float[] v, double lo, double hi, int bits, boolean signed) {
    double qmin;
    double qmax;
    double s;
    double z;
    if (signed) {
      qmin = -(1 << (bits - 1));
      qmax = (1 << (bits - 1)) - 1;
      s = Math.max(Math.abs(lo), Math.abs(hi)) / qmax;
      z = 0;
    } else {
      qmin = 0;
      qmax = (1 << bits) - 1;
      double l = Math.min(lo, 0);
      double h = Math.max(hi, 0);
      s = (h - l) / qmax;
      z = Math.rint(-l / s);
    }
    double err = 0;
    for (float x : v) {
      double q = Math.max(qmin, Math.min(qmax, Math.rint(x / s + z)));
      double d = x - s * (q - z);
      err += d * d;
    }
    return err;
  }

  @Test
  void minMaxIsTheExactExtremes() {
    float[] v = gaussianWithOutliers(5000, 1);
    assertThat(new MinMaxRangeEstimator().range(v, new LsqQuantizer(4), false))
        .containsExactly(-9f, 14f);
  }

  @Test
  void percentileInterpolatesBetweenOrderStatistics() {
    // on 0..9999 the q-th percentile (linear interpolation) is q/100·9999
    float[] v = ramp(10_000);
    float[] r = new PercentileRangeEstimator(99).range(v, new LsqPlusQuantizer(8, true), false);
    assertThat(r[0]).isCloseTo(0.01f * 9999, within(1e-3f));
    assertThat(r[1]).isCloseTo(0.99f * 9999, within(1e-2f));
    float[] r2 = new PercentileRangeEstimator(99.99).range(v, new LsqPlusQuantizer(8, true), false);
    assertThat(r2[1]).isCloseTo((float) (0.9999 * 9999), within(1e-2f));
  }

  @Test
  void aPercentileOf100IsMinMaxExactly() {
    for (long seed = 1; seed <= 5; seed++) {
      float[] v = gaussianWithOutliers(3001, seed);
      Quantizer q = new LsqPlusQuantizer(4, true);
      assertThat(new PercentileRangeEstimator(100).range(v, q, false))
          .containsExactly(new MinMaxRangeEstimator().range(v, q, false));
    }
  }

  @Test
  void percentileLeavesWeightRowsAtMinMax() {
    float[] v = gaussianWithOutliers(500, 2);
    assertThat(new PercentileRangeEstimator(90).range(v, new LsqQuantizer(4), true))
        .containsExactly(-9f, 14f);
  }

  @Test
  void mseNeverLosesToMinMaxAndFindsTheBestClippingWithinItsGrid() {
    for (boolean signed : new boolean[] {true, false}) {
      for (int bits : new int[] {3, 4, 8}) {
        for (long seed = 1; seed <= 3; seed++) {
          float[] v = gaussianWithOutliers(20_000, seed);
          if (!signed) {
            for (int i = 0; i < v.length; i++) {
              v[i] = Math.max(0f, v[i]); // a ReLU's output
            }
          }
          Quantizer q = signed ? new LsqQuantizer(bits) : new LsqPlusQuantizer(bits, true);
          float[] mm = new MinMaxRangeEstimator().range(v, q, false);
          float[] mse = new MseRangeEstimator().range(v, q, false);
          double errMse = squaredError(v, mse[0], mse[1], bits, signed);
          double errMinMax = squaredError(v, mm[0], mm[1], bits, signed);
          assertThat(errMse).as("%s %d bits", signed, bits).isLessThanOrEqualTo(errMinMax);
          // a 1000-point search of the same one-parameter family down to 0.2·min-max
          double best = Double.POSITIVE_INFINITY;
          for (int i = 0; i <= 1000; i++) {
            double f = 1 - 0.8 * i / 1000;
            best = Math.min(best, squaredError(v, f * mm[0], f * mm[1], bits, signed));
          }
          assertThat(errMse).as("%s %d bits", signed, bits).isLessThanOrEqualTo(best * 1.02);
          if (bits <= 4) {
            // the outliers make min-max a poor choice at low bit widths
            assertThat(errMse).isLessThan(0.5 * errMinMax);
          }
        }
      }
    }
  }

  @Test
  void mseKeepsMinMaxWhereClippingCannotHelp() {
    // uniform values fill the min-max grid evenly: any clipping only adds error
    float[] v = ramp(4096);
    Quantizer q = new LsqPlusQuantizer(8, true);
    float[] r = new MseRangeEstimator().range(v, q, false);
    assertThat(r[1]).isGreaterThanOrEqualTo(0.98f * 4095);
    assertThat(squaredError(v, r[0], r[1], 8, false))
        .isLessThanOrEqualTo(squaredError(v, 0, 4095, 8, false));
  }

  @Test
  void estimatorsLeaveTheirInputUntouched() {
    float[] v = gaussianWithOutliers(1000, 4);
    float[] copy = v.clone();
    new PercentileRangeEstimator(99).range(v, new LsqQuantizer(4), false);
    new MseRangeEstimator().range(v, new LsqQuantizer(4), false);
    assertThat(Arrays.equals(v, copy)).isTrue();
  }
}
