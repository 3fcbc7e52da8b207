package org.efqat.backend.tf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.efqat.api.backend.ConvGeometry;
import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;
import org.efqat.testkit.ReferenceMath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Native memory stays owned and flat over a long run: 1,000 training steps of a quantized 3×3
 * convolution layer (batch 16, 16×16×16 NHWC, 16 output channels, EfQAT's sparse-row weight
 * gradient with a changing row subset) neither grow the number of open native tensors nor the
 * graph, keep the process's resident memory within a small margin, and leave nothing open after
 * {@link TfBackend#close()}.
 */
class TfMemoryTest {
  private static final int STEPS = 1_000;

  /**
   * Allowed RSS growth from step 100 to step 1,000. The allocator's placement of the 2.4 MB im2col
   * buffers moves RSS by several MiB either way without a trend; a leak of any one tensor of a step
   * (0.25–2.4 MB) would add 220 MiB or more over 900 steps.
   */
  private static final long RSS_MARGIN_BYTES = 32L << 20;

  private static final ConvGeometry CONV = new ConvGeometry(16, 16, 16, 16, 3, 3, 1, 1);
  private static final int OUT = 16;

  /**
   * @param deviceKernels {@code kernels: device}: tensors live in the session, where a freed one
   *     that was never deleted from the session would show in the resident memory
   */
  @ParameterizedTest(name = "device kernels: {0}")
  @ValueSource(booleans = {false, true})
  void aLongRunKeepsNativeTensorsGraphAndResidentMemoryFlat(boolean deviceKernels)
      throws InterruptedException {
    TfBackend backend = new TfBackend(deviceKernels);
    TrainingStep step = new TrainingStep(backend.ops());
    long tensorsAt10 = -1;
    int kernelsAt10 = -1;
    int graphAt10 = -1;
    long rssAt100 = -1;
    for (int i = 1; i <= STEPS; i++) {
      step.run(i);
      if (i == 10) {
        tensorsAt10 = backend.liveNativeTensors();
        kernelsAt10 = backend.kernelCount();
        graphAt10 = backend.graphOperations();
      }
      if (i % 100 == 0) {
        // A steady rhythm of collections, as a long run has: it keeps the Java heap's share of
        // the RSS the same at both readings (a step makes ~50 KB of Java garbage).
        System.gc();
      }
      if (i == 100) {
        rssAt100 = residentBytesSettled();
      }
    }
    long rssAt1000 = residentBytesSettled();
    System.out.printf(
        "TfMemoryTest (device kernels: %s): %d native tensors, %d kernels, %d graph ops; "
            + "VmRSS after step 100: %.1f MiB, after step %d: %.1f MiB (%+.1f MiB)%n",
        deviceKernels,
        backend.liveNativeTensors(),
        backend.kernelCount(),
        backend.graphOperations(),
        rssAt100 / 1048576.0,
        STEPS,
        rssAt1000 / 1048576.0,
        (rssAt1000 - rssAt100) / 1048576.0);

    assertThat(backend.liveNativeTensors()).as("open native tensors").isEqualTo(tensorsAt10);
    assertThat(backend.kernelCount()).as("kernels").isEqualTo(kernelsAt10);
    assertThat(backend.graphOperations()).as("graph operations").isEqualTo(graphAt10);
    if (rssAt100 > 0) { // Linux: /proc/self/status exists
      assertThat(rssAt1000)
          .as("VmRSS after step %d vs step 100", STEPS)
          .isLessThan(rssAt100 + RSS_MARGIN_BYTES);
    }

    step.close();
    backend.close();
    assertThat(backend.liveNativeTensors()).as("open native tensors after close").isZero();
  }

  @Test
  void closingTheBackendFreesTensorsNobodyClosed() {
    TfBackend backend = new TfBackend();
    TensorOps ops = backend.ops();
    Tensor a = ops.fromArray(new float[] {1, 2, 3, 4}, 2, 2);
    Tensor view = ops.reshape(a, 4);
    ops.relu(view, ops.zeros(4));
    ops.fakeQuantize(a, 0.5f, 0f, -4, 3, a);
    assertThat(backend.liveNativeTensors()).isGreaterThanOrEqualTo(2);
    backend.close();
    assertThat(backend.liveNativeTensors()).isZero();
    a.close(); // closing after the backend is harmless
  }

  @Test
  void aTensorNobodyClosedIsFreedOnceUnreachable() throws InterruptedException {
    try (TfBackend backend = new TfBackend()) {
      TensorOps ops = backend.ops();
      int before = backend.liveNativeTensors();
      ops.fromArray(new float[1 << 16], 1 << 16); // dropped without close()
      assertThat(backend.liveNativeTensors()).isEqualTo(before + 1);
      for (int i = 0; i < 100 && backend.liveNativeTensors() > before; i++) {
        System.gc();
        Thread.sleep(20);
      }
      assertThat(backend.liveNativeTensors()).as("after the Cleaner ran").isEqualTo(before);
    }
  }

  @Test
  void aViewKeepsTheValuesUntilItsLastHandleCloses() {
    try (TfBackend backend = new TfBackend()) {
      TensorOps ops = backend.ops();
      int before = backend.liveNativeTensors();
      Tensor a = ops.fromArray(new float[] {1, 2, 3, 4}, 2, 2);
      Tensor view = ops.reshape(a, 4);
      a.close();
      assertThat(ops.toArray(view)).containsExactly(1, 2, 3, 4);
      assertThat(backend.liveNativeTensors()).isEqualTo(before + 1);
      view.close();
      view.close(); // closing twice is allowed
      assertThat(backend.liveNativeTensors()).isEqualTo(before);
    }
  }

  /**
   * Resident memory right after a collection, once G1 has given the heap regions it freed back to
   * the system (it does so concurrently, shortly after the collection).
   *
   * @return VmRSS in bytes, or -1 where /proc/self/status does not exist
   */
  private static long residentBytesSettled() throws InterruptedException {
    Thread.sleep(200);
    return residentBytes();
  }

  /**
   * @return VmRSS in bytes, or -1 where /proc/self/status does not exist
   */
  private static long residentBytes() {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return -1;
    }
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
      return -1;
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * One quantized conv layer's forward and backward pass with the buffers a layer keeps between
   * steps (closed at the end) and the temporaries it makes and closes every step.
   */
  private static final class TrainingStep implements AutoCloseable {
    private final TensorOps ops;
    private final float[] input;
    private final float[] weights;
    private final float[] gradPooled;
    private final float[] scale = new float[OUT];
    private final float[] shift = new float[OUT];
    private final float[] columnSums = new float[OUT];
    private final Tensor x;
    private final Tensor xq;
    private final Tensor cols;
    private final Tensor wq;
    private final Tensor y;
    private final Tensor pooled;
    private final Tensor dy;
    private final Tensor dcols;
    private final Tensor dxq;
    private final Tensor dx;
    private final Tensor dw;

    TrainingStep(TensorOps ops) {
      this.ops = ops;
      SplittableRandom r = new SplittableRandom(42);
      input = ReferenceMath.uniform(r, CONV.n() * CONV.h() * CONV.w() * CONV.c());
      weights = ReferenceMath.uniform(r, (int) (OUT * CONV.colsShape()[1]));
      gradPooled = ReferenceMath.uniform(r, CONV.n() * OUT);
      long[] cs = CONV.colsShape();
      x = ops.zeros(CONV.inputShape());
      xq = ops.zeros(CONV.inputShape());
      cols = ops.zeros(cs);
      wq = ops.zeros(OUT, cs[1]);
      y = ops.zeros(CONV.outputShape(OUT));
      pooled = ops.zeros(CONV.n(), OUT);
      dy = ops.zeros(CONV.outputShape(OUT));
      dcols = ops.zeros(cs);
      dxq = ops.zeros(CONV.inputShape());
      dx = ops.zeros(CONV.inputShape());
      dw = ops.zeros(OUT, cs[1]);
    }

    void run(int step) {
      long positions = CONV.colsShape()[0];
      float s = 0.02f + step % 7 * 0.001f; // the learnable steps move every step
      input[step % input.length] += 0.5f;
      weights[step % weights.length] -= 0.01f;
      for (int c = 0; c < OUT; c++) {
        scale[c] = 1f + 0.01f * ((step + c) % 5);
        shift[c] = 0.001f * step;
      }
      // forward: quantize input and weights, im2col, GEMM, BatchNorm, ReLU, pooling
      ops.copyFrom(input, x);
      ops.fakeQuantize(x, s, 3f, 0, 255, xq);
      ops.im2col(xq, CONV, cols);
      ops.copyFrom(weights, wq);
      ops.fakeQuantize(wq, s * 0.5f, 0f, -8, 7, wq);
      try (Tensor y2 = ops.reshape(y, positions, OUT)) {
        ops.gemm(cols, false, wq, true, y2, 1f, 0f);
        ops.columnAffine(y2, scale, shift, y2);
      }
      ops.relu(y, y);
      ops.globalAvgPool(y, pooled);
      float[] logits = ops.toArray(pooled);
      assertThat(logits).hasSize(CONV.n() * OUT);
      // backward: a fresh gradient tensor per step, as a loss makes it, then closed
      try (Tensor gradOut = ops.fromArray(gradPooled, CONV.n(), OUT);
          Tensor dy2 = ops.reshape(dy, positions, OUT)) {
        ops.globalAvgPoolBackward(gradOut, dy);
        ops.reluBackward(y, dy, dy);
        ops.columnSums(dy2, columnSums);
        ops.sparseRowWeightGradient(dy2, cols, rows(step), dw);
        ops.gemm(dy2, false, wq, false, dcols, 1f, 0f);
      }
      ops.col2im(dcols, CONV, dxq);
      float[] sums = ops.fakeQuantizeBackward(x, dxq, s, 3f, 0, 255, dx);
      assertThat(sums).hasSize(2);
    }

    /**
     * @return a subset of 3 to 5 output channels that changes every step
     */
    private static int[] rows(int step) {
      int count = 3 + step % 3;
      int[] rows = new int[count];
      for (int i = 0; i < count; i++) {
        rows[i] = (step + i) % 3 + 3 * i; // strictly increasing within [0, 15)
      }
      return rows;
    }

    @Override
    public void close() {
      for (Tensor t : new Tensor[] {x, xq, cols, wq, y, pooled, dy, dcols, dxq, dx, dw}) {
        t.close();
      }
    }
  }
}
