package org.efqat.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
}
