package org.efqat.backend.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.efqat.testkit.TensorAssertions.assertAllClose;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.ConvGeometry;
import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;
import org.efqat.api.spi.ComponentContext;
import org.efqat.testkit.ReferenceMath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the TensorFlow backend guarantees beyond the shared contract: reshaped views share values
 * both ways (efqat-core writes through views), no kernel output shares a buffer with an input
 * (copyFrom writes in place), the sparse-row kernel matches its own dense product over changing row
 * subsets without new kernels, max-pool ties go to the first maximum, and the window kernels stay
 * exact on geometries with wide padding.
 */
class TfTensorOpsTest {
  private Backend backend;
  private TensorOps ops;

  @BeforeEach
  void open() {
    backend = new TfBackendProvider().create(new TfBackendConfig(), ComponentContext.ofSeed(0));
    ops = backend.ops();
  }

  @AfterEach
  void close() {
    backend.close();
  }

  @Test
  void writesThroughAReshapedViewReachTheBaseAndBack() {
    try (Tensor base = ops.fromArray(new float[] {-1, 2, -3, 4, -5, 6}, 6, 1)) {
      Tensor view = ops.reshape(base, 1, 2, 3, 1);
      ops.relu(view, view);
      assertThat(ops.toArray(base)).containsExactly(0, 2, 0, 4, 0, 6);
      ops.copyFrom(new float[] {1, 1, 1, 1, 1, 1}, base);
      assertThat(ops.toArray(view)).containsExactly(1, 1, 1, 1, 1, 1);
      assertThat(view.shape()).containsExactly(1, 2, 3, 1);
      // Two views of one buffer as input and output, as WeightLayer's quantizer backward does.
      ops.fakeQuantizeBackward(
          ops.reshape(base, 2, 3), ops.reshape(base, 3, 2), 1f, 0f, -1, 1, ops.reshape(base, 3, 2));
      assertThat(ops.toArray(base)).containsExactly(1, 1, 1, 1, 1, 1);
      ops.fakeQuantizeBackward(
          ops.reshape(base, 2, 3),
          ops.reshape(base, 3, 2),
          0.25f,
          0f,
          -1,
          1,
          ops.reshape(base, 3, 2));
      assertThat(ops.toArray(base)).containsExactly(0, 0, 0, 0, 0, 0);
      view.close();
      assertThat(ops.toArray(base)).hasSize(6);
      assertThatThrownBy(() -> ops.toArray(view)).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void zerosClearsTheNativeBufferAndEmptyTensorsRunThroughKernels() {
    try (Tensor t = ops.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3)) {
      ((TfTensor) t).storage().zero();
      assertThat(ops.toArray(t)).containsOnly(0f);
    }
    try (Tensor e = ops.zeros(0, 4);
        Tensor out = ops.zeros(0, 4);
        Tensor c = ops.zeros(0, 0)) {
      ops.relu(e, out);
      ops.add(e, e, out);
      ops.copyFrom(new float[0], e);
      ops.gemm(e, false, ops.zeros(4, 0), false, c, 1f, 0f);
      assertThat(ops.toArray(out)).isEmpty();
    }
  }

  @Test
  void aGemmIntoAViewIsSeenByTheBase() {
    try (Tensor a = ops.fromArray(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor c = ops.zeros(1, 2, 2, 1)) {
      ops.gemm(a, false, a, false, ops.reshape(c, 2, 2), 1f, 0f);
      assertThat(ops.toArray(c)).containsExactly(7, 10, 15, 22);
    }
  }

  @Test
  void kernelOutputsNeverShareAnInputsBuffer() {
    // Degenerate shapes are where TensorFlow forwards an input buffer (a mean over 1×1, 1×1
    // windows); copyFrom writes in place, so a shared buffer would leak writes across tensors.
    ConvGeometry one = new ConvGeometry(2, 1, 1, 3, 1, 1, 1, 0);
    ConvGeometry unit = new ConvGeometry(1, 2, 2, 3, 1, 1, 1, 0);
    try (Tensor x = ops.fromArray(new float[] {1, -2, 3, -4, 5, -6}, one.inputShape());
        Tensor m = ops.reshape(x, 2, 3);
        Tensor pooled = ops.zeros(2, 3);
        Tensor out = ops.zeros(one.inputShape());
        Tensor u =
            ops.fromArray(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, unit.inputShape());
        Tensor uOut = ops.zeros(unit.inputShape());
        Tensor uCols = ops.zeros(unit.colsShape())) {
      float[] ones = {1, 1, 1};
      float[] zeros3 = {0, 0, 0};
      assertNoSharing(() -> ops.globalAvgPool(x, pooled), pooled, x);
      assertNoSharing(() -> ops.globalAvgPoolBackward(m, out), out, x);
      assertNoSharing(() -> ops.maxPool(x, one, out), out, x);
      assertNoSharing(() -> ops.avgPool(x, one, out), out, x);
      assertNoSharing(() -> ops.maxPoolBackward(x, x, one, out), out, x);
      assertNoSharing(() -> ops.avgPoolBackward(x, one, out), out, x);
      assertNoSharing(() -> ops.columnAffine(m, ones, zeros3, pooled), pooled, x);
      assertNoSharing(() -> ops.columnAffine2(m, ones, m, zeros3, zeros3, pooled), pooled, x);
      assertNoSharing(() -> ops.relu(x, out), out, x);
      assertNoSharing(() -> ops.fakeQuantize(x, 1f, 0f, -8, 7, out), out, x);
      assertNoSharing(() -> ops.fakeQuantizeBackward(x, x, 1f, 0f, -8, 7, out), out, x);
      assertNoSharing(() -> ops.im2col(u, unit, uCols), uCols, u);
      assertNoSharing(() -> ops.col2im(ops.reshape(u, unit.colsShape()), unit, uOut), uOut, u);
      assertNoSharing(
          () ->
              ops.gemm(
                  m,
                  false,
                  ops.fromArray(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, 3, 3),
                  false,
                  pooled,
                  1f,
                  0f),
          pooled,
          x);
    }
  }

  /** Runs {@code op}, then overwrites {@code input} in place: {@code output} keeps its values. */
  private void assertNoSharing(Runnable op, Tensor output, Tensor input) {
    float[] original = ops.toArray(input);
    op.run();
    float[] expected = ops.toArray(output);
    float[] other = new float[original.length];
    Arrays.fill(other, 99f);
    ops.copyFrom(other, input);
    assertThat(ops.toArray(output))
        .as("output after its input was overwritten")
        .containsExactly(expected);
    ops.copyFrom(original, input);
  }

  @Test
  void sparseRowsMatchTheDenseProductOverChangingSubsetsWithOneKernel() {
    int samples = 200;
    int outChannels = 24;
    int k = 40;
    SplittableRandom r = new SplittableRandom(3);
    float[] old = ReferenceMath.uniform(r, outChannels * k);
    TfBackend tf = (TfBackend) backend;
    try (Tensor dy =
            ops.fromArray(ReferenceMath.uniform(r, samples * outChannels), samples, outChannels);
        Tensor x = ops.fromArray(ReferenceMath.uniform(r, samples * k), samples, k);
        Tensor dense = ops.zeros(outChannels, k);
        Tensor dw = ops.fromArray(old, outChannels, k)) {
      ops.gemm(dy, true, x, false, dense, 1f, 0f);
      float[] full = ops.toArray(dense);
      int kernels = -1;
      int[][] subsets = {{0, 5, 23}, {1, 2, 3}, {4, 7, 8, 9, 20}, {0}, {6, 10, 11, 12, 13}};
      for (int[] rows : subsets) {
        ops.copyFrom(old, dw);
        ops.sparseRowWeightGradient(dy, x, rows, dw);
        float[] got = ops.toArray(dw);
        for (int row = 0; row < outChannels; row++) {
          float[] gotRow = Arrays.copyOfRange(got, row * k, (row + 1) * k);
          if (Arrays.binarySearch(rows, row) >= 0) {
            double[] want = new double[k];
            for (int j = 0; j < k; j++) {
              want[j] = full[row * k + j];
            }
            assertAllClose(gotRow, want, 1e-5, 1e-5);
          } else {
            assertThat(gotRow)
                .as("frozen row %d", row)
                .containsExactly(Arrays.copyOfRange(old, row * k, (row + 1) * k));
          }
        }
        if (kernels < 0) {
          kernels = tf.kernelCount();
        }
        assertThat(tf.kernelCount())
            .as("kernels after rows %s", Arrays.toString(rows))
            .isEqualTo(kernels);
      }
    }
  }

  @Test
  void maxPoolTiesGoToTheFirstMaximumAndPaddingNeverWins() {
    ConvGeometry g = new ConvGeometry(1, 3, 3, 1, 2, 2, 1, 1);
    float[] negatives = {-1, -1, -1, -1, -1, -1, -1, -1, -1};
    float[] dy = new float[16];
    for (int i = 0; i < dy.length; i++) {
      dy[i] = 1 << i % 8;
    }
    float[] relued = {0, 0, 0, 0, 0, 0, 0, 0, 0};
    for (float[] x : new float[][] {negatives, relued}) {
      int[] argmax = new int[16];
      double[] expected = ReferenceMath.maxPool(x, g, argmax);
      double[] dx = new double[9];
      for (int o = 0; o < 16; o++) {
        dx[argmax[o]] += dy[o];
      }
      try (Tensor xt = ops.fromArray(x, g.inputShape());
          Tensor out = ops.zeros(g.outputShape(1));
          Tensor dyt = ops.fromArray(dy, g.outputShape(1));
          Tensor dxt = ops.zeros(g.inputShape())) {
        ops.maxPool(xt, g, out);
        assertAllClose(ops.toArray(out), expected, 0, 0);
        ops.maxPoolBackward(xt, dyt, g, dxt);
        assertAllClose(ops.toArray(dxt), dx, 0, 0);
      }
    }
  }

  static ConvGeometry[] wideGeometries() {
    return new ConvGeometry[] {
      new ConvGeometry(2, 4, 5, 3, 3, 3, 2, 2),
      new ConvGeometry(1, 2, 2, 2, 3, 3, 3, 1),
      new ConvGeometry(3, 9, 7, 4, 5, 3, 2, 2),
      new ConvGeometry(4, 8, 8, 32, 3, 3, 1, 1)
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wideGeometries")
  void windowKernelsMatchTheReferenceOnWidePadding(ConvGeometry g) {
    SplittableRandom r = new SplittableRandom(g.hashCode());
    float[] x = ReferenceMath.uniform(r, g.n() * g.h() * g.w() * g.c());
    long[] cs = g.colsShape();
    float[] cols = ReferenceMath.uniform(r, (int) (cs[0] * cs[1]));
    try (Tensor xt = ops.fromArray(x, g.inputShape());
        Tensor colsOut = ops.zeros(cs);
        Tensor ct = ops.fromArray(cols, cs);
        Tensor dx = ops.zeros(g.inputShape())) {
      ops.im2col(xt, g, colsOut);
      assertAllClose(ops.toArray(colsOut), ReferenceMath.im2col(x, g), 0, 0);
      ops.col2im(ct, g, dx);
      assertAllClose(ops.toArray(dx), ReferenceMath.col2im(cols, g), 1e-5, 1e-5);
    }
  }

  @Test
  void shapeErrorsNameTheShapes() {
    ConvGeometry g = new ConvGeometry(1, 4, 4, 2, 3, 3, 1, 1);
    try (Tensor x = ops.zeros(1, 4, 4, 3);
        Tensor cols = ops.zeros(g.colsShape());
        Tensor m = ops.zeros(5, 3)) {
      assertThatThrownBy(() -> ops.im2col(x, g, cols))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("expected [1, 4, 4, 2] (was [1, 4, 4, 3])");
      assertThatThrownBy(() -> ops.columnSums(m, new float[4]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[5, 3]");
      assertThatThrownBy(() -> ops.add(m, x, m))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[1, 4, 4, 3]");
      assertThatThrownBy(() -> ops.minMax(ops.zeros(0, 3)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[0, 3]");
    }
  }

  /**
   * The direct-convolution weight gradient has two variants (gathered channels, or all channels
   * with the rows U kept) and times them on the first calls; every call, whichever variant runs,
   * writes the same dW[U] and leaves the frozen rows alone.
   */
  @Test
  void bothWeightRowVariantsWriteTheSameRows() {
    ConvGeometry g = new ConvGeometry(2, 6, 6, 3, 3, 3, 1, 1);
    int cout = 6;
    long m = g.colsShape()[0];
    long k = g.colsShape()[1];
    java.util.SplittableRandom random = new java.util.SplittableRandom(9);
    float[] x = new float[(int) (g.n() * g.h() * g.w() * g.c())];
    float[] dy = new float[(int) (m * cout)];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextDouble(-1, 1);
    }
    for (int i = 0; i < dy.length; i++) {
      dy[i] = (float) random.nextDouble(-1, 1);
    }
    int[] rows = {1, 4};
    float[] stale = new float[(int) (cout * k)];
    java.util.Arrays.fill(stale, Float.NaN);
    float[] first = null;
    try (Tensor xt = ops.fromArray(x, g.inputShape());
        Tensor dyt = ops.fromArray(dy, m, cout);
        Tensor dw = ops.fromArray(stale, cout, k)) {
      for (int call = 0; call < 6; call++) {
        ops.copyFrom(stale, dw);
        ops.conv2dBackwardWeightRows(dyt, xt, g, rows, dw);
        float[] got = ops.toArray(dw);
        for (int r = 0; r < cout; r++) {
          boolean unfrozen = r == 1 || r == 4;
          for (int j = 0; j < k; j++) {
            float v = got[(int) (r * k + j)];
            assertThat(Float.isNaN(v)).as("call %d row %d", call, r).isEqualTo(!unfrozen);
          }
        }
        if (first == null) {
          first = got;
        } else {
          for (int i = 0; i < got.length; i++) {
            if (!Float.isNaN(first[i])) {
              assertThat(got[i])
                  .as("call %d element %d", call, i)
                  .isCloseTo(first[i], org.assertj.core.api.Assertions.within(1e-4f));
            }
          }
        }
      }
    }
  }
}
