package org.efqat.backend.tf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two placements give the same bits for the parameter kernels on a weight matrix where one unit
 * in the last place matters (8-bit grid, steps that are not powers of two, a tenth of the values
 * outside the grid), whether every row or some rows are trained. The shared contract checks each
 * backend against a reference with tolerances where the sums allow them; this pins the device
 * kernels to the host ones exactly. It found Grappler turning {@code 1/s} into an inexact {@code
 * Reciprocal} when every row was trained.
 */
class TfPlacementAgreementTest {
  private static final int R = 10;
  private static final int K = 64;

  @ParameterizedTest(name = "rows {0}")
  @ValueSource(strings = {"all", "listed", "every-listed"})
  void parameterKernelsGiveTheHostKernelsBits(String which) {
    int[] rows =
        switch (which) {
          case "all" -> null;
          case "listed" -> new int[] {1, 3, 7};
          default -> new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        };
    List<float[]> host = run(false, rows);
    List<float[]> device = run(true, rows);
    for (int i = 0; i < host.size(); i++) {
      assertThat(device.get(i)).as("output %d", i).containsExactly(host.get(i));
    }
  }

  /**
   * @return the outputs of per-row fake quantization, its backward pass, SGD and AdamW
   */
  private static List<float[]> run(boolean deviceKernels, int[] rows) {
    SplittableRandom rnd = new SplittableRandom(7);
    int u = rows == null ? R : rows.length;
    float[] x = gaussian(rnd, R * K);
    float[] g = gaussian(rnd, u * K);
    float[] step = new float[R];
    float[] zero = new float[R];
    for (int i = 0; i < R; i++) {
      step[i] = 0.0103f + 0.0017f * i;
      zero[i] = i % 3 - 1;
    }
    float[] grad = gaussian(rnd, R * K);
    int[] steps = new int[u];
    java.util.Arrays.fill(steps, 3);
    List<float[]> out = new ArrayList<>();
    try (TfBackend b = new TfBackend(deviceKernels)) {
      TensorOps ops = b.ops();
      Function<float[], Tensor> matrix = v -> ops.fromArray(v, R, K);
      Tensor w = matrix.apply(x);
      Tensor s = ops.fromArray(step, R);
      Tensor z = ops.fromArray(zero, R);
      Tensor q = ops.zeros(R, K);
      ops.fakeQuantizeRows(w, s, z, -128, 127, q);
      out.add(ops.toArray(q));
      Tensor dx = ops.zeros(R, K);
      Tensor ds = ops.zeros(R);
      ops.fakeQuantizeRowsBackward(
          w, ops.fromArray(g, u, K), rows, s, z, -128, 127, 0.0123, dx, ds);
      out.add(ops.toArray(dx));
      out.add(ops.toArray(ds));
      Tensor velocity = matrix.apply(gaussian(rnd, R * K));
      ops.sgdUpdate(w, matrix.apply(grad), velocity, rows, 0.013, 0.9, true, 5e-4, -1f);
      out.add(ops.toArray(w));
      out.add(ops.toArray(velocity));
      Tensor m = matrix.apply(gaussian(rnd, R * K));
      Tensor v = matrix.apply(square(gaussian(rnd, R * K)));
      ops.adamwUpdate(
          w, matrix.apply(grad), m, v, rows, steps, 0.0011, 0.9, 0.999, 1e-8, 0.01, 1e-3f);
      out.add(ops.toArray(w));
      out.add(ops.toArray(m));
      out.add(ops.toArray(v));
    }
    return out;
  }

  private static float[] gaussian(SplittableRandom rnd, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (rnd.nextGaussian() * 0.7);
    }
    return v;
  }

  private static float[] square(float[] v) {
    for (int i = 0; i < v.length; i++) {
      v[i] *= v[i];
    }
    return v;
  }
}
