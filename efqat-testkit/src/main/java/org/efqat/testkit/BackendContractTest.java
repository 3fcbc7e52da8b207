package org.efqat.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.efqat.testkit.TensorAssertions.assertAllClose;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.BackendCapability;
import org.efqat.api.backend.ConvGeometry;
import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operations every {@link Backend} must get right, checked against {@link ReferenceMath} in
 * double precision on random shapes, odd sizes included. Extend it in each backend module and
 * implement {@link #createBackend()}.
 *
 * <p>Tolerances: FP32 GEMM with {@code k <= 300} accumulates rounding error of order {@code
 * k·2^-24·|a||b|}; {@code rtol = atol = 1e-4} leaves a margin for blocked and vectorized summation
 * orders.
 */
public abstract class BackendContractTest {
  /** Relative tolerance of FP32 results against the double reference. */
  protected static final double RTOL = 1e-4;

  /** Absolute tolerance of FP32 results against the double reference. */
  protected static final double ATOL = 1e-4;

  private Backend backend;

  /**
   * @return a new backend; the test closes it
   */
  protected abstract Backend createBackend();

  @BeforeEach
  void openBackend() {
    backend = createBackend();
  }

  @AfterEach
  void closeBackend() {
    backend.close();
  }

  /**
   * @return the backend under test
   */
  protected Backend backend() {
    return backend;
  }

  private TensorOps ops() {
    return backend.ops();
  }

  @Test
  void describesItself() {
    assertThat(backend.name()).matches("[a-z][a-z0-9-]*");
    assertThat(backend.version()).isNotBlank();
    assertThat(backend.device()).isNotBlank();
    assertThat(backend.capabilities()).isNotNull();
  }

  @ParameterizedTest(name = "shape {0}")
  @MethodSource("shapes")
  void roundTripsValuesAndShape(long[] shape) {
    int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    float[] data = ReferenceMath.uniform(new SplittableRandom(n), n);
    try (Tensor t = ops().fromArray(data, shape)) {
      assertThat(t.shape()).containsExactly(shape);
      assertThat(t.size()).isEqualTo(n);
      assertThat(ops().toArray(t)).containsExactly(data);
    }
  }

  static Stream<long[]> shapes() {
    return Stream.of(
        new long[] {1, 1},
        new long[] {7},
        new long[] {3, 5},
        new long[] {2, 3, 4},
        new long[] {0, 4},
        new long[] {1, 2, 3, 5});
  }

  @Test
  void zerosAreZero() {
    try (Tensor t = ops().zeros(3, 4)) {
      assertThat(t.shape()).containsExactly(3, 4);
      assertThat(ops().toArray(t)).containsOnly(0f);
    }
  }

  @Test
  void fromArrayRejectsAWrongShape() {
    assertThatThrownBy(() -> ops().fromArray(new float[5], 2, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[2, 3]")
        .hasMessageContaining("5");
  }

  @ParameterizedTest(name = "m={0} n={1} k={2} ta={3} tb={4} alpha={5} beta={6}")
  @MethodSource("gemmCases")
  void gemmMatchesTheReference(
      int m, int n, int k, boolean ta, boolean tb, float alpha, float beta) {
    SplittableRandom random = new SplittableRandom(31L * m + 17L * n + k);
    float[] a = ReferenceMath.uniform(random, m * k);
    float[] b = ReferenceMath.uniform(random, k * n);
    float[] c = ReferenceMath.uniform(random, m * n);
    try (Tensor at = ta ? ops().fromArray(a, k, m) : ops().fromArray(a, m, k);
        Tensor bt = tb ? ops().fromArray(b, n, k) : ops().fromArray(b, k, n);
        Tensor ct = ops().fromArray(c, m, n)) {
      ops().gemm(at, ta, bt, tb, ct, alpha, beta);
      assertAllClose(
          ops().toArray(ct), ReferenceMath.gemm(a, ta, b, tb, c, m, n, k, alpha, beta), RTOL, ATOL);
      assertThat(ct.shape()).containsExactly(m, n);
    }
  }

  static Stream<Arguments> gemmCases() {
    return Stream.of(
        Arguments.of(1, 1, 1, false, false, 1f, 0f),
        Arguments.of(3, 5, 7, false, false, 1f, 0f),
        Arguments.of(3, 5, 7, true, false, 1f, 0f),
        Arguments.of(3, 5, 7, false, true, 1f, 0f),
        Arguments.of(3, 5, 7, true, true, 1f, 0f),
        Arguments.of(17, 33, 65, true, false, 0.5f, 1f),
        Arguments.of(64, 48, 300, false, true, 1f, -2f),
        Arguments.of(129, 1, 31, false, false, 2f, 0.25f));
  }

  @Test
  void gemmIgnoresAnOldOutputWhenBetaIsZero() {
    float[] nan = new float[4];
    Arrays.fill(nan, Float.NaN);
    try (Tensor a = ops().fromArray(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor c = ops().fromArray(nan, 2, 2)) {
      ops().gemm(a, false, a, false, c, 1f, 0f);
      assertThat(ops().toArray(c)).containsExactly(7f, 10f, 15f, 22f);
    }
  }

  @Test
  void gemmRejectsMismatchedShapes() {
    try (Tensor a = ops().zeros(2, 3);
        Tensor b = ops().zeros(4, 5);
        Tensor c = ops().zeros(2, 5)) {
      assertThatThrownBy(() -> ops().gemm(a, false, b, false, c, 1f, 0f))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[2, 3]")
          .hasMessageContaining("[4, 5]");
    }
  }

  @ParameterizedTest(name = "N={0} Cout={1} K={2} rows={3}")
  @MethodSource("sparseCases")
  void sparseRowWeightGradientEqualsTheFullRowsAndLeavesFrozenRowsAlone(
      int samples, int outChannels, int k, int[] rows) {
    SplittableRandom random = new SplittableRandom(samples * 1000L + outChannels * 10L + k);
    float[] dy = ReferenceMath.uniform(random, samples * outChannels);
    float[] x = ReferenceMath.uniform(random, samples * k);
    float[] old = ReferenceMath.uniform(random, outChannels * k);
    double[] full = ReferenceMath.gemm(dy, true, x, false, null, outChannels, k, samples, 1, 0);
    try (Tensor dyt = ops().fromArray(dy, samples, outChannels);
        Tensor xt = ops().fromArray(x, samples, k);
        Tensor dw = ops().fromArray(old, outChannels, k)) {
      ops().sparseRowWeightGradient(dyt, xt, rows, dw);
      float[] got = ops().toArray(dw);
      double[] expected = new double[got.length];
      for (int r = 0; r < outChannels; r++) {
        boolean unfrozen = Arrays.binarySearch(rows, r) >= 0;
        for (int j = 0; j < k; j++) {
          expected[r * k + j] = unfrozen ? full[r * k + j] : old[r * k + j];
        }
      }
      assertAllClose(got, expected, RTOL, ATOL);
      for (int r = 0; r < outChannels; r++) {
        if (Arrays.binarySearch(rows, r) < 0) {
          assertThat(Arrays.copyOfRange(got, r * k, (r + 1) * k))
              .as("frozen row %d must keep its bits", r)
              .containsExactly(Arrays.copyOfRange(old, r * k, (r + 1) * k));
        }
      }
    }
  }

  static Stream<Arguments> sparseCases() {
    return Stream.of(
        Arguments.of(5, 4, 3, new int[] {}),
        Arguments.of(5, 4, 3, new int[] {2}),
        Arguments.of(5, 4, 3, new int[] {0, 1, 2, 3}),
        Arguments.of(1, 1, 1, new int[] {0}),
        Arguments.of(37, 19, 23, new int[] {0, 3, 4, 11, 18}),
        Arguments.of(130, 64, 147, IntStream.range(0, 64).filter(r -> r % 7 == 2).toArray()));
  }

  @Test
  void sparseRowWeightGradientRejectsBadRows() {
    try (Tensor dy = ops().zeros(5, 4);
        Tensor x = ops().zeros(5, 3);
        Tensor dw = ops().zeros(4, 3)) {
      assertThatThrownBy(() -> ops().sparseRowWeightGradient(dy, x, new int[] {1, 4}, dw))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("4");
      assertThatThrownBy(() -> ops().sparseRowWeightGradient(dy, x, new int[] {2, 1}, dw))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("increasing");
    }
  }

  @Test
  void sparseRowWeightGradientRejectsMismatchedShapes() {
    try (Tensor dy = ops().zeros(5, 4);
        Tensor x = ops().zeros(6, 3);
        Tensor dw = ops().zeros(4, 3)) {
      assertThatThrownBy(() -> ops().sparseRowWeightGradient(dy, x, new int[] {0}, dw))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[5, 4]")
          .hasMessageContaining("[6, 3]");
    }
  }

  // ---- transfer ------------------------------------------------------------------------

  @Test
  void copyFromOverwritesAndReshapeKeepsTheValues() {
    try (Tensor t = ops().zeros(2, 3)) {
      ops().copyFrom(new float[] {1, 2, 3, 4, 5, 6}, t);
      assertThat(ops().toArray(t)).containsExactly(1, 2, 3, 4, 5, 6);
      Tensor r = ops().reshape(t, 3, 2);
      assertThat(r.shape()).containsExactly(3, 2);
      assertThat(ops().toArray(r)).containsExactly(1, 2, 3, 4, 5, 6);
      ops().add(r, r, r); // a write through the view is seen through the original
      assertThat(ops().toArray(t)).containsExactly(2, 4, 6, 8, 10, 12);
      Tensor flat = ops().reshape(t, 6);
      ops().relu(ops().fromArray(new float[] {-1, 1, -1, 1, -1, 1}, 6), flat);
      assertThat(ops().toArray(r)).containsExactly(0, 1, 0, 1, 0, 1);
      assertThatThrownBy(() -> ops().copyFrom(new float[5], t))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("5");
      assertThatThrownBy(() -> ops().reshape(t, 4, 2))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[4, 2]");
    }
  }

  // ---- convolution helpers -------------------------------------------------------------

  static Stream<ConvGeometry> geometries() {
    return Stream.of(
        new ConvGeometry(2, 5, 5, 3, 3, 3, 1, 1),
        new ConvGeometry(1, 7, 6, 2, 3, 3, 2, 1),
        new ConvGeometry(3, 4, 4, 5, 1, 1, 2, 0),
        new ConvGeometry(2, 6, 6, 1, 2, 2, 2, 0),
        new ConvGeometry(1, 3, 3, 4, 3, 3, 1, 0),
        new ConvGeometry(2, 8, 8, 16, 3, 3, 1, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("geometries")
  void im2colMatchesTheReference(ConvGeometry g) {
    float[] x =
        ReferenceMath.uniform(new SplittableRandom(g.hashCode()), g.n() * g.h() * g.w() * g.c());
    try (Tensor xt = ops().fromArray(x, g.inputShape());
        Tensor cols = ops().zeros(g.colsShape())) {
      ops().im2col(xt, g, cols);
      assertAllClose(ops().toArray(cols), ReferenceMath.im2col(x, g), 0, 0);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("geometries")
  void col2imIsTheAdjointOfIm2col(ConvGeometry g) {
    long[] cs = g.colsShape();
    float[] cols =
        ReferenceMath.uniform(new SplittableRandom(g.hashCode() + 1), (int) (cs[0] * cs[1]));
    float[] stale = new float[g.n() * g.h() * g.w() * g.c()];
    java.util.Arrays.fill(stale, Float.NaN);
    try (Tensor ct = ops().fromArray(cols, cs);
        Tensor dx = ops().fromArray(stale, g.inputShape())) {
      ops().col2im(ct, g, dx);
      assertAllClose(ops().toArray(dx), ReferenceMath.col2im(cols, g), RTOL, ATOL);
    }
  }

  // ---- direct convolution (when declared) ----------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("geometries")
  void directConvolutionMatchesIm2colAndGemm(ConvGeometry g) {
    assumeTrue(
        backend.capabilities().contains(BackendCapability.DIRECT_CONVOLUTION),
        "the backend convolves through im2col");
    SplittableRandom random = new SplittableRandom(g.hashCode() + 7);
    int cout = 5;
    long[] cs = g.colsShape();
    int m = (int) cs[0];
    int k = (int) cs[1];
    float[] x = ReferenceMath.uniform(random, g.n() * g.h() * g.w() * g.c());
    float[] w = ReferenceMath.uniform(random, cout * k);
    float[] dy = ReferenceMath.uniform(random, m * cout);
    double[] cols = ReferenceMath.im2col(x, g);
    float[] colsF = new float[cols.length];
    for (int i = 0; i < cols.length; i++) {
      colsF[i] = (float) cols[i];
    }
    float[] stale = new float[cout * k];
    Arrays.fill(stale, Float.NaN);
    int[] rows = {1, 3, 4};
    try (Tensor xt = ops().fromArray(x, g.inputShape());
        Tensor wt = ops().fromArray(w, cout, k);
        Tensor dyt = ops().fromArray(dy, m, cout);
        Tensor y = ops().zeros(m, cout);
        Tensor dx = ops().zeros(g.inputShape());
        Tensor dw = ops().fromArray(stale, cout, k)) {
      ops().conv2d(xt, wt, null, g, y);
      double[] product = ReferenceMath.gemm(colsF, false, w, true, null, m, cout, k, 1, 0);
      assertAllClose(ops().toArray(y), product, RTOL, ATOL);
      float[] bias = {0.5f, -1f, 0f, 2f, 0.25f};
      ops().conv2d(xt, wt, bias, g, y);
      double[] withBias = product.clone();
      for (int i = 0; i < withBias.length; i++) {
        withBias[i] += bias[i % cout];
      }
      assertAllClose(ops().toArray(y), withBias, RTOL, ATOL);
      ops().conv2dBackwardInput(dyt, wt, g, dx);
      float[] dcols = toFloat(ReferenceMath.gemm(dy, false, w, false, null, m, k, cout, 1, 0));
      assertAllClose(ops().toArray(dx), ReferenceMath.col2im(dcols, g), RTOL, ATOL);
      ops().conv2dBackwardWeightRows(dyt, xt, g, rows, dw);
      double[] full = ReferenceMath.gemm(dy, true, colsF, false, null, cout, k, m, 1, 0);
      float[] got = ops().toArray(dw);
      for (int r = 0; r < cout; r++) {
        final int row = r;
        boolean unfrozen = IntStream.of(rows).anyMatch(u -> u == row);
        float[] gotRow = Arrays.copyOfRange(got, r * k, (r + 1) * k);
        if (unfrozen) {
          assertAllClose(gotRow, Arrays.copyOfRange(full, r * k, (r + 1) * k), RTOL, ATOL);
        } else {
          assertThat(gotRow).as("frozen row %d stays untouched", r).containsOnly(Float.NaN);
        }
      }
      ops().conv2dBackwardWeightRows(dyt, xt, g, new int[0], dw); // no rows: nothing changes
      assertThat(ops().toArray(dw)).containsExactly(got);
      ops().conv2dBackwardWeightRows(dyt, xt, g, IntStream.range(0, cout).toArray(), dw);
      assertAllClose(ops().toArray(dw), full, RTOL, ATOL); // every row
    }
  }

  private static float[] toFloat(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  // ---- element-wise --------------------------------------------------------------------

  @Test
  void addReluAndReluBackward() {
    float[] a = {-2, -0.5f, 0, 0.5f, 3, -1};
    float[] b = {1, 1, 1, 1, 1, 1};
    float[] dy = {10, 20, 30, 40, 50, 60};
    try (Tensor at = ops().fromArray(a, 2, 3);
        Tensor bt = ops().fromArray(b, 2, 3);
        Tensor out = ops().zeros(2, 3);
        Tensor dyt = ops().fromArray(dy, 2, 3);
        Tensor dx = ops().zeros(2, 3)) {
      ops().add(at, bt, out);
      assertThat(ops().toArray(out)).containsExactly(-1, 0.5f, 1, 1.5f, 4, 0);
      ops().relu(at, out);
      assertThat(ops().toArray(out)).containsExactly(0, 0, 0, 0.5f, 3, 0);
      ops().reluBackward(out, dyt, dx);
      assertThat(ops().toArray(dx)).containsExactly(0, 0, 0, 40, 50, 0);
      ops().relu(at, at); // in place
      assertThat(ops().toArray(at)).containsExactly(0, 0, 0, 0.5f, 3, 0);
      ops().reluBackward(at, dyt, dyt); // in place
      assertThat(ops().toArray(dyt)).containsExactly(0, 0, 0, 40, 50, 0);
    }
  }

  // ---- per-channel ---------------------------------------------------------------------

  @Test
  void columnReductionsAndAffines() {
    int m = 37;
    int c = 5;
    SplittableRandom r = new SplittableRandom(5);
    float[] x = ReferenceMath.uniform(r, m * c);
    float[] y = ReferenceMath.uniform(r, m * c);
    float[] xs = ReferenceMath.uniform(r, c);
    float[] ys = ReferenceMath.uniform(r, c);
    float[] sh = ReferenceMath.uniform(r, c);
    double[] sums = new double[c];
    double[] dots = new double[c];
    double[] aff = new double[m * c];
    double[] aff2 = new double[m * c];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < c; j++) {
        int k = i * c + j;
        sums[j] += x[k];
        dots[j] += (double) x[k] * y[k];
        aff[k] = (double) x[k] * xs[j] + sh[j];
        aff2[k] = (double) x[k] * xs[j] + (double) y[k] * ys[j] + sh[j];
      }
    }
    try (Tensor xt = ops().fromArray(x, 1, m, 1, c); // NHWC works as [M, C]
        Tensor yt = ops().fromArray(y, m, c);
        Tensor out = ops().zeros(m, c)) {
      float[] got = new float[c];
      ops().columnSums(xt, got);
      assertAllClose(got, sums, RTOL, ATOL);
      ops().columnDots(ops().reshape(xt, m, c), yt, got);
      assertAllClose(got, dots, RTOL, ATOL);
      ops().columnAffine(ops().reshape(xt, m, c), xs, sh, out);
      assertAllClose(ops().toArray(out), aff, RTOL, ATOL);
      ops().columnAffine2(ops().reshape(xt, m, c), xs, yt, ys, sh, out);
      assertAllClose(ops().toArray(out), aff2, RTOL, ATOL);
      ops().columnAffine2(yt, ys, ops().reshape(xt, m, c), xs, sh, yt); // out aliases x
      assertAllClose(ops().toArray(yt), aff2, RTOL, ATOL);
    }
  }

  // ---- pooling -------------------------------------------------------------------------

  @Test
  void globalAveragePoolAndItsGradient() {
    int n = 3;
    int hw = 6;
    int c = 4;
    float[] x = ReferenceMath.uniform(new SplittableRandom(9), n * hw * c);
    double[] mean = new double[n * c];
    for (int b = 0; b < n; b++) {
      for (int p = 0; p < hw; p++) {
        for (int j = 0; j < c; j++) {
          mean[b * c + j] += x[(b * hw + p) * c + j] / (double) hw;
        }
      }
    }
    float[] dy = ReferenceMath.uniform(new SplittableRandom(10), n * c);
    double[] dx = new double[n * hw * c];
    for (int i = 0; i < dx.length; i++) {
      dx[i] = dy[(i / (hw * c)) * c + i % c] / (double) hw;
    }
    try (Tensor xt = ops().fromArray(x, n, 2, 3, c);
        Tensor out = ops().zeros(n, c);
        Tensor dyt = ops().fromArray(dy, n, c);
        Tensor dxt = ops().zeros(n, 2, 3, c)) {
      ops().globalAvgPool(xt, out);
      assertAllClose(ops().toArray(out), mean, RTOL, ATOL);
      ops().globalAvgPoolBackward(dyt, dxt);
      assertAllClose(ops().toArray(dxt), dx, RTOL, ATOL);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("geometries")
  void maxPoolAndItsGradientMatchTheReference(ConvGeometry g) {
    checkMaxPool(
        g,
        ReferenceMath.uniform(
            new SplittableRandom(g.hashCode() + 2), g.n() * g.h() * g.w() * g.c()));
  }

  /**
   * Quantized activations tie often (a flat background gives equal values in a whole window); the
   * gradient then goes to the first maximum in {@code (ky, kx)} window order, as in PyTorch, so
   * that backends agree after a training step.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("geometries")
  void maxPoolGradientGoesToTheFirstOfTiedMaxima(ConvGeometry g) {
    float[] x =
        ReferenceMath.uniform(
            new SplittableRandom(g.hashCode() + 5), g.n() * g.h() * g.w() * g.c());
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.round(x[i]); // -1, 0 or 1: ties in most windows
    }
    checkMaxPool(g, x);
  }

  private void checkMaxPool(ConvGeometry g, float[] x) {
    int outSize = g.n() * g.outH() * g.outW() * g.c();
    int[] argmax = new int[outSize];
    double[] expected = ReferenceMath.maxPool(x, g, argmax);
    float[] dy = ReferenceMath.uniform(new SplittableRandom(g.hashCode() + 3), outSize);
    double[] dx = new double[x.length];
    for (int o = 0; o < outSize; o++) {
      dx[argmax[o]] += dy[o];
    }
    try (Tensor xt = ops().fromArray(x, g.inputShape());
        Tensor out = ops().zeros(g.outputShape(g.c()));
        Tensor dyt = ops().fromArray(dy, g.outputShape(g.c()));
        Tensor dxt = ops().zeros(g.inputShape())) {
      ops().maxPool(xt, g, out);
      assertAllClose(ops().toArray(out), expected, 0, 0);
      ops().maxPoolBackward(xt, dyt, g, dxt);
      assertAllClose(ops().toArray(dxt), dx, RTOL, ATOL);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("geometries")
  void avgPoolAndItsGradientMatchTheReference(ConvGeometry g) {
    float[] x =
        ReferenceMath.uniform(
            new SplittableRandom(g.hashCode() + 4), g.n() * g.h() * g.w() * g.c());
    // average pooling is im2col followed by a mean over each window's kh·kw·c entries per channel
    double[] cols = ReferenceMath.im2col(x, g);
    int positions = g.n() * g.outH() * g.outW();
    int window = g.kh() * g.kw();
    double[] expected = new double[positions * g.c()];
    for (int p = 0; p < positions; p++) {
      for (int j = 0; j < window; j++) {
        for (int c = 0; c < g.c(); c++) {
          expected[p * g.c() + c] += cols[(p * window + j) * g.c() + c] / window;
        }
      }
    }
    float[] dy = ReferenceMath.uniform(new SplittableRandom(g.hashCode() + 5), positions * g.c());
    float[] spread = new float[positions * window * g.c()];
    for (int p = 0; p < positions; p++) {
      for (int j = 0; j < window; j++) {
        for (int c = 0; c < g.c(); c++) {
          spread[(p * window + j) * g.c() + c] = dy[p * g.c() + c] / window;
        }
      }
    }
    double[] dx = ReferenceMath.col2im(spread, g);
    try (Tensor xt = ops().fromArray(x, g.inputShape());
        Tensor out = ops().zeros(g.outputShape(g.c()));
        Tensor dyt = ops().fromArray(dy, g.outputShape(g.c()));
        Tensor dxt = ops().zeros(g.inputShape())) {
      ops().avgPool(xt, g, out);
      assertAllClose(ops().toArray(out), expected, RTOL, ATOL);
      ops().avgPoolBackward(dyt, g, dxt);
      assertAllClose(ops().toArray(dxt), dx, RTOL, ATOL);
    }
  }

  // ---- Transformer kernels -------------------------------------------------------------

  /** GELU tolerances: tight enough to tell the exact erf form from the tanh approximation. */
  private static final double GELU_RTOL = 1e-5;

  private static final double GELU_ATOL = 1e-6;

  private static float[] nans(int n) {
    float[] v = new float[n];
    Arrays.fill(v, Float.NaN);
    return v;
  }

  @ParameterizedTest(name = "B={0} m={1} n={2} k={3} ta={4} tb={5} alpha={6} beta={7}")
  @MethodSource("batchedGemmCases")
  void batchedGemmMatchesTheReference(
      int batch, int m, int n, int k, boolean ta, boolean tb, float alpha, float beta) {
    SplittableRandom random = new SplittableRandom(1009L * batch + 31L * m + 17L * n + k);
    float[] a = ReferenceMath.uniform(random, batch * m * k);
    float[] b = ReferenceMath.uniform(random, batch * k * n);
    float[] c = ReferenceMath.uniform(random, batch * m * n);
    try (Tensor at = ta ? ops().fromArray(a, batch, k, m) : ops().fromArray(a, batch, m, k);
        Tensor bt = tb ? ops().fromArray(b, batch, n, k) : ops().fromArray(b, batch, k, n);
        Tensor ct = ops().fromArray(c, batch, m, n)) {
      ops().batchedGemm(at, ta, bt, tb, ct, alpha, beta);
      assertAllClose(
          ops().toArray(ct),
          ReferenceMath.batchedGemm(a, ta, b, tb, c, batch, m, n, k, alpha, beta),
          RTOL,
          ATOL);
      assertThat(ct.shape()).containsExactly(batch, m, n);
    }
  }

  static Stream<Arguments> batchedGemmCases() {
    return Stream.of(
        Arguments.of(1, 1, 1, 1, false, false, 1f, 0f),
        Arguments.of(3, 5, 7, 4, false, false, 1f, 0f),
        Arguments.of(2, 5, 7, 3, true, false, 1f, 0f),
        Arguments.of(2, 5, 7, 3, false, true, 1f, 0f),
        Arguments.of(2, 5, 7, 3, true, true, 1f, 0f),
        Arguments.of(4, 17, 9, 33, false, true, 0.125f, 0f), // scores Q·Kᵀ/√d
        Arguments.of(3, 13, 1, 31, true, false, 0.5f, 1f),
        Arguments.of(2, 33, 65, 17, false, false, 2f, -0.5f),
        Arguments.of(1, 64, 48, 100, true, true, 1f, 0.25f),
        Arguments.of(24, 16, 64, 16, false, false, 1f, 0f)); // P·V, 2 × 12 heads
  }

  @Test
  void batchedGemmIgnoresAnOldOutputWhenBetaIsZero() {
    try (Tensor a = ops().fromArray(new float[] {1, 2, 3, 4, 0, 1, 1, 0}, 2, 2, 2);
        Tensor c = ops().fromArray(nans(8), 2, 2, 2)) {
      ops().batchedGemm(a, false, a, false, c, 1f, 0f);
      assertThat(ops().toArray(c)).containsExactly(7f, 10f, 15f, 22f, 1f, 0f, 0f, 1f);
    }
  }

  @Test
  void batchedGemmRejectsMismatchedShapes() {
    try (Tensor a = ops().zeros(2, 3, 4);
        Tensor b = ops().zeros(3, 4, 5);
        Tensor b2 = ops().zeros(2, 5, 4);
        Tensor c = ops().zeros(2, 3, 5);
        Tensor flat = ops().zeros(3, 4)) {
      assertThatThrownBy(() -> ops().batchedGemm(a, false, b, false, c, 1f, 0f))
          .as("batch sizes differ")
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[2, 3, 4]")
          .hasMessageContaining("[3, 4, 5]");
      assertThatThrownBy(() -> ops().batchedGemm(a, false, b2, false, c, 1f, 0f))
          .as("inner dimensions differ")
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[2, 3, 4]")
          .hasMessageContaining("[2, 5, 4]");
      assertThatThrownBy(() -> ops().batchedGemm(flat, false, b2, true, c, 1f, 0f))
          .as("a is 2-D")
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[3, 4]");
    }
  }

  @ParameterizedTest(name = "shape {0}")
  @MethodSource("swapShapes")
  void swapMiddleAxesMatchesTheReferenceAndIsItsOwnInverse(int[] shape) {
    int n = shape[0] * shape[1] * shape[2] * shape[3];
    float[] x = ReferenceMath.uniform(new SplittableRandom(n), n);
    long[] in = {shape[0], shape[1], shape[2], shape[3]};
    long[] swapped = {shape[0], shape[2], shape[1], shape[3]};
    try (Tensor xt = ops().fromArray(x, in);
        Tensor out = ops().fromArray(nans(n), swapped);
        Tensor back = ops().fromArray(nans(n), in)) {
      ops().swapMiddleAxes(xt, out);
      assertAllClose(ops().toArray(out), ReferenceMath.swapMiddleAxes(x, shape), 0, 0);
      ops().swapMiddleAxes(out, back);
      assertThat(ops().toArray(back)).containsExactly(x);
    }
  }

  static Stream<int[]> swapShapes() {
    return Stream.of(
        new int[] {2, 3, 5, 4},
        new int[] {1, 7, 1, 3},
        new int[] {3, 1, 4, 2},
        new int[] {2, 4, 3, 1},
        new int[] {2, 9, 12, 16}); // [B, L, heads, d]
  }

  @Test
  void swapMiddleAxesRejectsAWrongOutputShape() {
    try (Tensor x = ops().zeros(2, 3, 4, 5);
        Tensor out = ops().zeros(2, 3, 4, 5);
        Tensor flat = ops().zeros(6, 20)) {
      assertThatThrownBy(() -> ops().swapMiddleAxes(x, out))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[2, 3, 4, 5]")
          .hasMessageContaining("[2, 4, 3, 5]");
      assertThatThrownBy(() -> ops().swapMiddleAxes(flat, out))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[6, 20]");
    }
  }

  @ParameterizedTest(name = "V={0} D={1} indices={2}")
  @MethodSource("rowCases")
  void gatherRowsCopiesTheNamedRows(int v, int d, int[] indices) {
    float[] table = ReferenceMath.uniform(new SplittableRandom(v * 100L + d), v * d);
    try (Tensor tt = ops().fromArray(table, v, d);
        Tensor out = ops().fromArray(nans(indices.length * d), indices.length, d)) {
      ops().gatherRows(tt, indices, out);
      assertAllClose(ops().toArray(out), ReferenceMath.gatherRows(table, d, indices), 0, 0);
      assertThat(ops().toArray(tt)).as("the table is not changed").containsExactly(table);
    }
  }

  @ParameterizedTest(name = "V={0} D={1} indices={2}")
  @MethodSource("rowCases")
  void scatterAddRowsAccumulatesRepeatsAndLeavesOtherRowsAlone(int v, int d, int[] indices) {
    SplittableRandom random = new SplittableRandom(v * 100L + d + 1);
    float[] table = ReferenceMath.uniform(random, v * d);
    float[] src = ReferenceMath.uniform(random, indices.length * d);
    try (Tensor tt = ops().fromArray(table, v, d);
        Tensor st = ops().fromArray(src, indices.length, d)) {
      ops().scatterAddRows(st, indices, tt);
      float[] got = ops().toArray(tt);
      assertAllClose(got, ReferenceMath.scatterAddRows(src, indices, table, d), RTOL, ATOL);
      for (int r = 0; r < v; r++) {
        final int row = r;
        if (IntStream.of(indices).noneMatch(i -> i == row)) {
          assertThat(Arrays.copyOfRange(got, r * d, (r + 1) * d))
              .as("row %d is not named and keeps its bits", r)
              .containsExactly(Arrays.copyOfRange(table, r * d, (r + 1) * d));
        }
      }
      assertThat(ops().toArray(st)).as("src is not changed").containsExactly(src);
    }
  }

  static Stream<Arguments> rowCases() {
    return Stream.of(
        Arguments.of(11, 7, new int[] {3, 0, 10, 3, 3, 7, 1}),
        Arguments.of(1, 5, new int[] {0, 0, 0}),
        Arguments.of(6, 1, new int[] {5}),
        Arguments.of(
            50, 64, new SplittableRandom(3).ints(37, 0, 50).toArray())); // a batch of tokens
  }

  @Test
  void gatherAndScatterRejectBadIndicesAndShapes() {
    try (Tensor table = ops().zeros(4, 3);
        Tensor rows = ops().zeros(2, 3);
        Tensor wide = ops().zeros(2, 5)) {
      assertThatThrownBy(() -> ops().gatherRows(table, new int[] {1, 4}, rows))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("4")
          .hasMessageContaining("[4, 3]");
      assertThatThrownBy(() -> ops().scatterAddRows(rows, new int[] {-1, 0}, table))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("-1");
      assertThatThrownBy(() -> ops().gatherRows(table, new int[] {0, 1}, wide))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[4, 3]")
          .hasMessageContaining("[2, 5]");
      assertThatThrownBy(() -> ops().scatterAddRows(rows, new int[] {0, 1, 2}, table))
          .as("3 indices for 2 rows")
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[2, 3]");
      assertThat(ops().toArray(table)).as("nothing written").containsOnly(0f);
    }
  }

  @Test
  void multiplyIsExactAndMayWriteIntoEitherInput() {
    SplittableRandom random = new SplittableRandom(41);
    float[] a = ReferenceMath.uniform(random, 105);
    float[] b = ReferenceMath.uniform(random, 105);
    double[] product = new double[105];
    double[] square = new double[105];
    for (int i = 0; i < product.length; i++) {
      product[i] = a[i] * b[i]; // the FP32 product, correctly rounded
      square[i] = (float) product[i] * b[i];
    }
    try (Tensor at = ops().fromArray(a, 3, 5, 7);
        Tensor bt = ops().fromArray(b, 105);
        Tensor out = ops().fromArray(nans(105), 15, 7)) {
      ops().multiply(at, bt, out); // same size, different shapes
      assertAllClose(ops().toArray(out), product, 0, 0);
      ops().multiply(at, bt, at);
      assertAllClose(ops().toArray(at), product, 0, 0);
      ops().multiply(at, bt, bt);
      assertAllClose(ops().toArray(bt), square, 0, 0);
      assertThatThrownBy(() -> ops().multiply(at, ops().zeros(2, 3), out))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[3, 5, 7]")
          .hasMessageContaining("[2, 3]");
    }
  }

  /** {@code [-10, 10]} in steps of 0.01, and a few values near 0. */
  private static float[] geluInputs() {
    float[] x = new float[2001 + 4];
    for (int i = 0; i <= 2000; i++) {
      x[i] = (i - 1000) / 100f;
    }
    x[2001] = 1e-3f;
    x[2002] = -1e-3f;
    x[2003] = 1e-30f;
    x[2004] = -0.7071f;
    return x;
  }

  @Test
  void geluIsTheExactErfForm() {
    float[] x = geluInputs();
    double[] expected = ReferenceMath.gelu(x);
    try (Tensor xt = ops().fromArray(x, 5, 401);
        Tensor out = ops().fromArray(nans(x.length), x.length)) {
      ops().gelu(xt, out);
      assertAllClose(ops().toArray(out), expected, GELU_RTOL, GELU_ATOL);
      ops().gelu(xt, xt); // in place
      assertAllClose(ops().toArray(xt), expected, GELU_RTOL, GELU_ATOL);
    }
  }

  @Test
  void geluBackwardMatchesTheReference() {
    float[] x = geluInputs();
    float[] dy = ReferenceMath.uniform(new SplittableRandom(43), x.length);
    double[] expected = ReferenceMath.geluBackward(x, dy);
    try (Tensor xt = ops().fromArray(x, x.length);
        Tensor dyt = ops().fromArray(dy, 5, 401);
        Tensor dx = ops().fromArray(nans(x.length), x.length)) {
      ops().geluBackward(xt, dyt, dx);
      assertAllClose(ops().toArray(dx), expected, GELU_RTOL, GELU_ATOL);
      ops().geluBackward(xt, dyt, dyt); // in place
      assertAllClose(ops().toArray(dyt), expected, GELU_RTOL, GELU_ATOL);
      assertThatThrownBy(() -> ops().geluBackward(xt, ops().zeros(3), dx))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[3]");
    }
  }

  @ParameterizedTest(name = "shape {0} eps={1} offset={2}")
  @MethodSource("normalizeCases")
  void normalizeRowsMatchesTheReference(long[] shape, float eps, float offset) {
    int n = (int) Arrays.stream(shape).reduce(1, (p, q) -> p * q);
    int d = (int) shape[shape.length - 1];
    int rows = n / d;
    float[] x = ReferenceMath.uniform(new SplittableRandom(n + d), n);
    for (int i = 0; i < n; i++) {
      x[i] = x[i] * 2 + offset;
    }
    double[] invStd = new double[rows];
    double[] expected = ReferenceMath.normalizeRows(x, d, eps, invStd);
    try (Tensor xt = ops().fromArray(x, shape);
        Tensor out = ops().fromArray(nans(n), shape);
        Tensor r = ops().fromArray(nans(rows), rows)) {
      ops().normalizeRows(xt, eps, out, r);
      assertAllClose(ops().toArray(out), expected, RTOL, ATOL);
      assertAllClose(ops().toArray(r), invStd, RTOL, ATOL);
      ops().normalizeRows(xt, eps, xt, r); // in place
      assertAllClose(ops().toArray(xt), expected, RTOL, ATOL);
      assertAllClose(ops().toArray(r), invStd, RTOL, ATOL);
    }
  }

  static Stream<Arguments> normalizeCases() {
    return Stream.of(
        Arguments.of(new long[] {5, 7}, 1e-12f, 0f),
        Arguments.of(new long[] {2, 3, 16}, 1e-5f, 10f),
        Arguments.of(new long[] {4, 1}, 1e-5f, 0f), // a lone value normalizes to 0
        Arguments.of(new long[] {3, 768}, 1e-12f, -3f)); // BERT's width
  }

  @ParameterizedTest(name = "shape {0} eps={1} offset={2}")
  @MethodSource("normalizeCases")
  void normalizeRowsBackwardMatchesTheReference(long[] shape, float eps, float offset) {
    int n = (int) Arrays.stream(shape).reduce(1, (p, q) -> p * q);
    int d = (int) shape[shape.length - 1];
    int rows = n / d;
    SplittableRandom random = new SplittableRandom(n + d + 1);
    float[] x = ReferenceMath.uniform(random, n);
    for (int i = 0; i < n; i++) {
      x[i] = x[i] * 2 + offset;
    }
    double[] invStd = new double[rows];
    float[] normalized = toFloat(ReferenceMath.normalizeRows(x, d, eps, invStd));
    float[] r = toFloat(invStd);
    float[] g = ReferenceMath.uniform(random, n);
    double[] expected = ReferenceMath.normalizeRowsBackward(normalized, r, g, d);
    // the result is r·(…), and r is 1/√eps on a row of length 1
    double scale = Arrays.stream(invStd).max().orElse(1);
    try (Tensor xh = ops().fromArray(normalized, shape);
        Tensor rt = ops().fromArray(r, rows);
        Tensor gt = ops().fromArray(g, shape);
        Tensor dx = ops().fromArray(nans(n), shape)) {
      ops().normalizeRowsBackward(xh, rt, gt, dx);
      assertAllClose(ops().toArray(dx), expected, RTOL, ATOL * scale);
      ops().normalizeRowsBackward(xh, rt, gt, gt); // in place
      assertAllClose(ops().toArray(gt), expected, RTOL, ATOL * scale);
    }
  }

  @Test
  void normalizeRowsRejectsMismatchedShapes() {
    try (Tensor x = ops().zeros(5, 7);
        Tensor out = ops().zeros(5, 7);
        Tensor r = ops().zeros(5);
        Tensor shortR = ops().zeros(4);
        Tensor wide = ops().zeros(5, 8)) {
      assertThatThrownBy(() -> ops().normalizeRows(x, 1e-5f, out, shortR))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[5, 7]")
          .hasMessageContaining("[4]");
      assertThatThrownBy(() -> ops().normalizeRows(x, 1e-5f, wide, r))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[5, 7]")
          .hasMessageContaining("[5, 8]");
      assertThatThrownBy(() -> ops().normalizeRowsBackward(x, shortR, out, out))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[5, 7]")
          .hasMessageContaining("[4]");
      assertThatThrownBy(() -> ops().normalizeRowsBackward(x, r, wide, out))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[5, 8]");
    }
  }

  /**
   * Masks with padding at the end, holes inside, and a batch element with a single key; {@code
   * scale} stretches the scores to ±scale, and {@code maskedScore}, unless NaN, is written at every
   * masked key (a padded key's score must not matter, however large).
   */
  @ParameterizedTest(name = "shape {0} scale={1} maskedScore={2}")
  @MethodSource("softmaxCases")
  void maskedSoftmaxMatchesTheReference(int[] shape, float scale, float maskedScore) {
    int b = shape[0];
    int lk = shape[3];
    int n = b * shape[1] * shape[2] * lk;
    SplittableRandom random = new SplittableRandom(n + (long) scale);
    float[] scores = ReferenceMath.uniform(random, n);
    float[] mask = new float[b * lk];
    for (int i = 0; i < b; i++) {
      int length = i == 0 ? lk : Math.max(1, lk - 2 * i); // batch 0 unpadded
      for (int j = 0; j < length; j++) {
        mask[i * lk + j] = i == 1 && j == 1 && length > 2 ? 0 : 1; // batch 1 has a hole
      }
    }
    for (int i = 0; i < n; i++) {
      boolean masked = mask[(i / (n / b)) * lk + i % lk] == 0;
      scores[i] = masked && !Float.isNaN(maskedScore) ? maskedScore : scores[i] * scale;
    }
    double[] expected = ReferenceMath.maskedSoftmax(scores, mask, shape);
    long[] s = {shape[0], shape[1], shape[2], shape[3]};
    try (Tensor st = ops().fromArray(scores, s);
        Tensor mt = ops().fromArray(mask, b, lk);
        Tensor out = ops().fromArray(nans(n), s)) {
      ops().maskedSoftmax(st, mt, out);
      checkSoftmax(ops().toArray(out), expected, mask, n / b, lk);
      ops().maskedSoftmax(st, mt, st); // in place
      checkSoftmax(ops().toArray(st), expected, mask, n / b, lk);
      assertThat(ops().toArray(mt)).as("the mask is not changed").containsExactly(mask);
    }
  }

  private static void checkSoftmax(
      float[] got, double[] expected, float[] mask, int perBatch, int lk) {
    assertAllClose(got, expected, RTOL, 1e-6);
    for (int row = 0; row < got.length / lk; row++) {
      double sum = 0;
      for (int j = 0; j < lk; j++) {
        int i = row * lk + j;
        if (mask[(i / perBatch) * lk + j] == 0) {
          assertThat(Math.abs(got[i])).as("masked key %d of row %d", j, row).isEqualTo(0f);
        }
        sum += got[i];
      }
      assertThat(sum).as("row %d sums to 1", row).isCloseTo(1, within(1e-5));
    }
  }

  static Stream<Arguments> softmaxCases() {
    return Stream.of(
        Arguments.of(new int[] {1, 1, 1, 1}, 1f, Float.NaN),
        Arguments.of(new int[] {2, 3, 5, 7}, 1f, Float.NaN),
        Arguments.of(new int[] {3, 2, 4, 9}, 4f, Float.NaN),
        Arguments.of(new int[] {3, 2, 4, 9}, 80f, Float.NaN), // exp(80) overflows a sum of FP32s
        Arguments.of(new int[] {4, 2, 3, 5}, 100f, 1e4f), // masked scores far above the rest
        Arguments.of(new int[] {4, 2, 3, 5}, 1f, -1e4f),
        Arguments.of(new int[] {2, 12, 16, 16}, 8f, Float.NaN)); // BERT-like heads
  }

  @Test
  void maskedSoftmaxRejectsMismatchedShapes() {
    try (Tensor scores = ops().zeros(2, 3, 5, 7);
        Tensor mask = ops().zeros(2, 6);
        Tensor goodMask = ops().zeros(2, 7);
        Tensor out = ops().zeros(2, 3, 7, 5)) {
      assertThatThrownBy(() -> ops().maskedSoftmax(scores, mask, scores))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[2, 3, 5, 7]")
          .hasMessageContaining("[2, 6]");
      assertThatThrownBy(() -> ops().maskedSoftmax(scores, goodMask, out))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[2, 3, 7, 5]");
    }
  }

  @ParameterizedTest(name = "shape {0}")
  @MethodSource("softmaxBackwardShapes")
  void softmaxBackwardMatchesTheReference(long[] shape) {
    int n = (int) Arrays.stream(shape).reduce(1, (p, q) -> p * q);
    int l = (int) shape[shape.length - 1];
    SplittableRandom random = new SplittableRandom(n + l);
    float[] scores = ReferenceMath.uniform(random, n);
    float[] mask = new float[l];
    for (int j = 0; j < l; j++) {
      mask[j] = j == l - 1 && l > 1 ? 0 : 1; // one masked key: p = 0 there
    }
    float[] p = toFloat(ReferenceMath.maskedSoftmax(scores, mask, new int[] {1, 1, n / l, l}));
    float[] dy = ReferenceMath.uniform(random, n);
    double[] expected = ReferenceMath.softmaxBackward(p, dy, l);
    try (Tensor pt = ops().fromArray(p, shape);
        Tensor dyt = ops().fromArray(dy, shape);
        Tensor dx = ops().fromArray(nans(n), shape)) {
      ops().softmaxBackward(pt, dyt, dx);
      assertAllClose(ops().toArray(dx), expected, RTOL, 1e-6);
      ops().softmaxBackward(pt, dyt, dyt); // in place
      assertAllClose(ops().toArray(dyt), expected, RTOL, 1e-6);
      assertThatThrownBy(() -> ops().softmaxBackward(pt, ops().zeros(n), dx))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(Arrays.toString(shape))
          .hasMessageContaining("[" + n + "]");
    }
  }

  static Stream<long[]> softmaxBackwardShapes() {
    return Stream.of(
        new long[] {2, 3, 5, 7}, new long[] {7, 9}, new long[] {4, 1}, new long[] {2, 12, 16, 16});
  }

  // ---- fake quantization ---------------------------------------------------------------

  static Stream<Arguments> quantGrids() {
    return Stream.of(
        Arguments.of(0.05f, 0f, -8, 7),
        Arguments.of(0.1f, 3f, 0, 15),
        Arguments.of(0.0123f, 128f, 0, 255),
        Arguments.of(0.5f, 1.5f, 0, 3));
  }

  /** Elements this close to a rounding boundary may round either way in FP32 kernels. */
  private static boolean nearBoundary(float x, float s, float z) {
    double v = (double) x / s + z;
    return Math.abs(v - Math.floor(v) - 0.5) < 1e-4;
  }

  @ParameterizedTest(name = "s={0} z={1} [{2}, {3}]")
  @MethodSource("quantGrids")
  void fakeQuantizeMatchesTheReference(float s, float z, int qmin, int qmax) {
    float[] x = ReferenceMath.uniform(new SplittableRandom(13), 999);
    for (int i = 0; i < x.length; i++) {
      x[i] *= 2.5f; // reach past both ends of the grid
    }
    double[] expected = ReferenceMath.fakeQuantize(x, s, z, qmin, qmax);
    try (Tensor xt = ops().fromArray(x, 27, 37);
        Tensor out = ops().zeros(27, 37)) {
      ops().fakeQuantize(xt, s, z, qmin, qmax, out);
      float[] got = ops().toArray(out);
      for (int i = 0; i < x.length; i++) {
        if (!nearBoundary(x[i], s, z)) {
          assertThat((double) got[i])
              .as("element %d (x=%s)", i, x[i])
              .isCloseTo(
                  expected[i],
                  org.assertj.core.data.Offset.offset(1e-5 + 1e-6 * Math.abs(expected[i])));
        }
      }
    }
  }

  @ParameterizedTest(name = "s={0} z={1} [{2}, {3}]")
  @MethodSource("quantGrids")
  void fakeQuantizeBackwardIsStraightThroughWithLsqSums(float s, float z, int qmin, int qmax) {
    SplittableRandom r = new SplittableRandom(17);
    float[] x = ReferenceMath.uniform(r, 500);
    for (int i = 0; i < x.length; i++) {
      x[i] *= 2.5f;
    }
    float[] dy = ReferenceMath.uniform(r, 500);
    double[] dx = new double[500];
    double ds = 0;
    double dz = 0;
    for (int i = 0; i < x.length; i++) {
      double v = (double) x[i] / s + z;
      if (v < qmin) {
        ds += dy[i] * (qmin - z);
        dz -= dy[i] * s;
      } else if (v > qmax) {
        ds += dy[i] * (qmax - z);
        dz -= dy[i] * s;
      } else {
        dx[i] = dy[i];
        ds += dy[i] * (Math.rint(v) - v);
      }
    }
    try (Tensor xt = ops().fromArray(x, 500);
        Tensor dyt = ops().fromArray(dy, 500);
        Tensor dxt = ops().zeros(500)) {
      float[] sums = ops().fakeQuantizeBackward(xt, dyt, s, z, qmin, qmax, dxt);
      assertAllClose(ops().toArray(dxt), dx, 0, 0);
      assertThat((double) sums[0])
          .isCloseTo(ds, org.assertj.core.data.Offset.offset(1e-3 * (1 + Math.abs(ds))));
      assertThat((double) sums[1])
          .isCloseTo(dz, org.assertj.core.data.Offset.offset(1e-3 * (1 + Math.abs(dz))));
      ops().fakeQuantizeBackward(xt, dyt, s, z, qmin, qmax, dyt); // in place
      assertAllClose(ops().toArray(dyt), dx, 0, 0);
    }
  }

  @Test
  void minMaxFindsTheRange() {
    try (Tensor t = ops().fromArray(new float[] {0.5f, -3f, 2f, 7f, -1f, 0f}, 2, 3)) {
      assertThat(ops().minMax(t)).containsExactly(-3f, 7f);
    }
  }

  // ---- parameters resident on the backend -------------------------------------------------

  private static float[] scaled(SplittableRandom r, int n, float scale, float shift) {
    float[] v = ReferenceMath.uniform(r, n);
    for (int i = 0; i < n; i++) {
      v[i] = v[i] * scale + shift;
    }
    return v;
  }

  @Test
  void fakeQuantizeRowsQuantizesEachRowWithItsOwnStep() {
    SplittableRandom r = new SplittableRandom(41);
    int rows = 7;
    int k = 13;
    float[] x = scaled(r, rows * k, 2.5f, 0f);
    float[] step = scaled(r, rows, 0.05f, 0.1f); // in [0.05, 0.15]
    float[] zero = {0, 0, 3, -2, 0, 1, 0};
    try (Tensor xt = ops().fromArray(x, rows, k);
        Tensor st = ops().fromArray(step, rows);
        Tensor zt = ops().fromArray(zero, rows);
        Tensor out = ops().zeros(rows, k)) {
      ops().fakeQuantizeRows(xt, st, zt, -8, 7, out);
      float[] got = ops().toArray(out);
      for (int row = 0; row < rows; row++) {
        float[] xr = Arrays.copyOfRange(x, row * k, (row + 1) * k);
        double[] expected = ReferenceMath.fakeQuantize(xr, step[row], zero[row], -8, 7);
        for (int j = 0; j < k; j++) {
          if (!nearBoundary(xr[j], step[row], zero[row])) {
            assertThat((double) got[row * k + j])
                .as("row %d element %d", row, j)
                .isCloseTo(expected[j], within(1e-5 + 1e-6 * Math.abs(expected[j])));
          }
        }
      }
      ops().fakeQuantizeRows(xt, st, zt, -8, 7, xt); // in place
      assertThat(ops().toArray(xt)).containsExactly(got);
    }
  }

  @Test
  void fakeQuantizeRowsBackwardAddsToTheListedRowsOnly() {
    SplittableRandom r = new SplittableRandom(43);
    int rows = 6;
    int k = 9;
    int[] listed = {1, 4, 5};
    float[] x = scaled(r, rows * k, 2f, 0f);
    float[] step = scaled(r, rows, 0.1f, 0.2f);
    float[] zero = new float[rows];
    float[] dy = scaled(r, listed.length * k, 1f, 0f);
    float[] dw0 = scaled(r, rows * k, 1f, 0f);
    float[] ds0 = scaled(r, rows, 1f, 0f);
    double scale = 1 / Math.sqrt(k * 7.0);
    try (Tensor xt = ops().fromArray(x, rows, k);
        Tensor st = ops().fromArray(step, rows);
        Tensor zt = ops().fromArray(zero, rows);
        Tensor dyt = ops().fromArray(dy, listed.length, k);
        Tensor dwt = ops().fromArray(dw0, rows, k);
        Tensor dst = ops().fromArray(ds0, rows)) {
      ops().fakeQuantizeRowsBackward(xt, dyt, listed, st, zt, -8, 7, scale, dwt, dst);
      float[] dw = ops().toArray(dwt);
      float[] ds = ops().toArray(dst);
      for (int row = 0; row < rows; row++) {
        int at = Arrays.binarySearch(listed, row);
        if (at < 0) {
          assertThat(Arrays.copyOfRange(dw, row * k, (row + 1) * k))
              .as("frozen row %d", row)
              .containsExactly(Arrays.copyOfRange(dw0, row * k, (row + 1) * k));
          assertThat(ds[row]).as("frozen step %d", row).isEqualTo(ds0[row]);
          continue;
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
          double v = (double) x[row * k + j] / step[row];
          double g = dy[at * k + j];
          boolean inside = v >= -8 && v <= 7;
          sum += inside ? g * (Math.rint(v) - v) : g * (v < -8 ? -8 : 7);
          assertThat((double) dw[row * k + j])
              .as("row %d element %d", row, j)
              .isCloseTo(dw0[row * k + j] + (inside ? g : 0), within(1e-6));
        }
        assertThat((double) ds[row])
            .as("step of row %d", row)
            .isCloseTo(ds0[row] + scale * sum, within(1e-4));
      }
    }
  }

  @ParameterizedTest(name = "nesterov={0}")
  @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
  void sgdUpdateChangesTheListedRowsAndTheirVelocityOnly(boolean nesterov) {
    SplittableRandom r = new SplittableRandom(47);
    int rows = 5;
    int k = 4;
    int[] listed = {0, 3};
    float[] w = scaled(r, rows * k, 1f, 0f);
    float[] g = scaled(r, rows * k, 1f, 0f);
    float[] v = scaled(r, rows * k, 1f, 0f);
    double lr = 0.1;
    double mu = 0.9;
    double decay = 0.01;
    try (Tensor wt = ops().fromArray(w, rows, k);
        Tensor gt = ops().fromArray(g, rows, k);
        Tensor vt = ops().fromArray(v, rows, k)) {
      ops().sgdUpdate(wt, gt, vt, listed, lr, mu, nesterov, decay, Float.NEGATIVE_INFINITY);
      float[] w1 = ops().toArray(wt);
      float[] v1 = ops().toArray(vt);
      for (int i = 0; i < rows * k; i++) {
        if (Arrays.binarySearch(listed, i / k) < 0) {
          assertThat(w1[i]).as("frozen weight %d", i).isEqualTo(w[i]);
          assertThat(v1[i]).as("frozen velocity %d", i).isEqualTo(v[i]);
          continue;
        }
        double gi = g[i] + decay * w[i];
        double vi = mu * v[i] + gi;
        double d = nesterov ? gi + mu * vi : vi;
        assertThat((double) v1[i]).as("velocity %d", i).isCloseTo(vi, within(1e-6));
        assertThat((double) w1[i]).as("weight %d", i).isCloseTo(w[i] - lr * d, within(1e-6));
      }
      ops().sgdUpdate(wt, gt, vt, null, lr, mu, nesterov, decay, 0.5f); // every row, floored
      for (float value : ops().toArray(wt)) {
        assertThat(value).isGreaterThanOrEqualTo(0.5f);
      }
    }
  }

  @Test
  void adamwUpdateUsesEachRowsStepCount() {
    SplittableRandom r = new SplittableRandom(53);
    int rows = 4;
    int k = 3;
    int[] listed = {1, 2};
    int[] steps = {1, 7};
    float[] w = scaled(r, rows * k, 1f, 0f);
    float[] g = scaled(r, rows * k, 1f, 0f);
    float[] m = scaled(r, rows * k, 0.1f, 0f);
    float[] v = scaled(r, rows * k, 0.1f, 0.1f);
    double lr = 0.01;
    double b1 = 0.9;
    double b2 = 0.999;
    double decay = 0.05;
    try (Tensor wt = ops().fromArray(w, rows, k);
        Tensor gt = ops().fromArray(g, rows, k);
        Tensor mt = ops().fromArray(m, rows, k);
        Tensor vt = ops().fromArray(v, rows, k)) {
      ops()
          .adamwUpdate(
              wt, gt, mt, vt, listed, steps, lr, b1, b2, 1e-8, decay, Float.NEGATIVE_INFINITY);
      float[] w1 = ops().toArray(wt);
      float[] m1 = ops().toArray(mt);
      float[] v1 = ops().toArray(vt);
      for (int i = 0; i < rows * k; i++) {
        int at = Arrays.binarySearch(listed, i / k);
        if (at < 0) {
          assertThat(new float[] {w1[i], m1[i], v1[i]})
              .as("frozen element %d", i)
              .containsExactly(w[i], m[i], v[i]);
          continue;
        }
        double mi = b1 * m[i] + (1 - b1) * g[i];
        double vi = b2 * v[i] + (1 - b2) * g[i] * g[i];
        double c1 = 1 - Math.pow(b1, steps[at]);
        double c2 = 1 - Math.pow(b2, steps[at]);
        double expected = w[i] - lr * ((mi / c1) / (Math.sqrt(vi / c2) + 1e-8) + decay * w[i]);
        assertThat((double) m1[i]).as("m %d", i).isCloseTo(mi, within(1e-6));
        assertThat((double) v1[i]).as("v %d", i).isCloseTo(vi, within(1e-6));
        assertThat((double) w1[i]).as("weight %d", i).isCloseTo(expected, within(1e-6));
      }
    }
  }

  @Test
  void parameterUpdatesRefuseRowsOutOfOrder() {
    try (Tensor w = ops().zeros(3, 2);
        Tensor g = ops().zeros(3, 2);
        Tensor v = ops().zeros(3, 2)) {
      assertThatThrownBy(() -> ops().sgdUpdate(w, g, v, new int[] {2, 1}, 0.1, 0, false, 0, 0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("sgdUpdate: row 1 (position 1)");
      assertThatThrownBy(() -> ops().sgdUpdate(w, g, v, new int[] {3}, 0.1, 0, false, 0, 0))
          .hasMessageContaining("outside [0, 3)");
    }
  }

  @Test
  void fillSetsEveryElementAndFirstNonFiniteFindsNaN() {
    try (Tensor t = ops().zeros(4, 5)) {
      ops().fill(t, 2.5f);
      assertThat(ops().toArray(t)).containsOnly(2.5f);
      assertThat(ops().firstNonFinite(t)).isEqualTo(-1);
      float[] v = new float[20];
      v[13] = Float.NaN;
      v[17] = Float.POSITIVE_INFINITY;
      ops().copyFrom(v, t);
      assertThat(ops().firstNonFinite(t)).isEqualTo(13);
    }
  }

  @Test
  void dropoutMaskIsSplittableRandomsDrawsOnEveryBackend() {
    try (Tensor mask = ops().zeros(3, 70_001)) {
      ops().dropoutMask(mask, 99L, 0.1f);
      float[] got = ops().toArray(mask);
      java.util.SplittableRandom random = new java.util.SplittableRandom(99L);
      for (int i = 0; i < got.length; i++) {
        assertThat(got[i])
            .as("element %d", i)
            .isEqualTo(random.nextFloat() < 0.1f ? 0f : 1f / (1f - 0.1f));
      }
    }
  }

  @Test
  void parameterKernelsGiveTheElementwiseFormulaOnLongRows() {
    // rows longer than the kernels' scratch chunks, and more rows than run on one thread
    SplittableRandom r = new SplittableRandom(59);
    int rows = 9;
    int k = 5003;
    int[] listed = {0, 4, 8};
    float[] x = scaled(r, rows * k, 2f, 0f);
    float[] step = scaled(r, rows, 0.05f, 0.2f);
    float[] zero = new float[rows];
    float[] dy = scaled(r, listed.length * k, 1f, 0f);
    float[] g = scaled(r, rows * k, 1f, 0f);
    float[] v = scaled(r, rows * k, 1f, 0f);
    try (Tensor xt = ops().fromArray(x, rows, k);
        Tensor st = ops().fromArray(step, rows);
        Tensor zt = ops().fromArray(zero, rows);
        Tensor out = ops().zeros(rows, k);
        Tensor dyt = ops().fromArray(dy, listed.length, k);
        Tensor dxt = ops().zeros(rows, k);
        Tensor dst = ops().zeros(rows);
        Tensor gt = ops().fromArray(g, rows, k);
        Tensor vt = ops().fromArray(v, rows, k)) {
      ops().fakeQuantizeRows(xt, st, zt, -8, 7, out);
      ops().fakeQuantizeRowsBackward(xt, dyt, listed, st, zt, -8, 7, 0.5, dxt, dst);
      ops().sgdUpdate(xt, gt, vt, listed, 0.1, 0.9, false, 0.01, Float.NEGATIVE_INFINITY);
      float[] q = ops().toArray(out);
      float[] dx = ops().toArray(dxt);
      float[] ds = ops().toArray(dst);
      float[] w1 = ops().toArray(xt);
      for (int row = 0; row < rows; row++) {
        float inv = 1f / step[row];
        int at = java.util.Arrays.binarySearch(listed, row);
        double sum = 0;
        for (int j = 0; j < k; j++) {
          int e = row * k + j;
          float qv = Math.max(-8, Math.min(7, (float) Math.rint(x[e] * inv)));
          assertThat(q[e]).as("quantized %d", e).isEqualTo(step[row] * qv);
          if (at < 0) {
            assertThat(dx[e]).as("frozen dx %d", e).isZero();
            assertThat(w1[e]).as("frozen w %d", e).isEqualTo(x[e]);
            continue;
          }
          float vv = x[e] * inv;
          float go = dy[at * k + j];
          boolean inside = vv >= -8 && vv <= 7;
          sum += inside ? go * ((float) Math.rint(vv) - vv) : go * (vv < -8 ? -8f : 7f);
          assertThat(dx[e]).as("dx %d", e).isEqualTo(inside ? go : 0f);
          double gi = g[e] + 0.01 * x[e];
          double vi = 0.9 * v[e] + gi;
          assertThat(w1[e]).as("w %d", e).isEqualTo((float) (x[e] - 0.1 * vi));
        }
        assertThat(ds[row]).as("step gradient of row %d", row).isEqualTo((float) (sum * 0.5));
      }
    }
  }
}
