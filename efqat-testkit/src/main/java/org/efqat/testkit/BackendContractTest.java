package org.efqat.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.efqat.testkit.TensorAssertions.assertAllClose;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.efqat.api.backend.Backend;
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
 * k·2^-24·|a||b|}; {@code rtol = atol = 1e-4} leaves a margin for blocked and vectorized
 * summation orders.
 */
public abstract class BackendContractTest {
  /** Relative tolerance of FP32 results against the double reference. */
  protected static final double RTOL = 1e-4;

  /** Absolute tolerance of FP32 results against the double reference. */
  protected static final double ATOL = 1e-4;

  private Backend backend;

  /** @return a new backend; the test closes it */
  protected abstract Backend createBackend();

  @BeforeEach
  void openBackend() {
    backend = createBackend();
  }

  @AfterEach
  void closeBackend() {
    backend.close();
  }

  /** @return the backend under test */
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
    return Stream.of(new long[] {1, 1}, new long[] {7}, new long[] {3, 5}, new long[] {2, 3, 4},
        new long[] {0, 4}, new long[] {1, 2, 3, 5});
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
      assertAllClose(ops().toArray(ct),
          ReferenceMath.gemm(a, ta, b, tb, c, m, n, k, alpha, beta), RTOL, ATOL);
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
}
