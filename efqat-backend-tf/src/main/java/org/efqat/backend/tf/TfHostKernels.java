package org.efqat.backend.tf;

import java.util.stream.IntStream;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;

/**
 * Kernels run by Java directly on the native buffers of the tensors. The element-wise one is a
 * fused operation TensorFlow can only express as a chain of full-size ops: the fake quantizer's
 * backward pass with its two LSQ sums (about 12 ops). One pass reads each input once and writes the
 * output in place, split over the common fork-join pool in chunks. Per ResNet-20 step (batch 128)
 * it took 72 ms as graph ops and 34 ms here. (The forward pass, 5 vectorized ops, stays in the
 * graph: a scalar Java pass was slower.)
 *
 * <p>Writing in place is safe for element-wise kernels even when the output is an input's storage
 * (element {@code i} is read before it is written), and TensorFlow holds no reference to a fed
 * tensor after a session run.
 *
 * <p>The row scatter-add is here for the opposite reason: it touches few rows of a large table, and
 * a graph kernel's output would be a fresh copy of the whole table (an embedding gradient of 30522
 * × 384 floats: 3.3 ms per call against 0.43 ms for 1024 rows added in place).
 */
final class TfHostKernels {
  /** Elements per parallel task. */
  private static final int CHUNK = 1 << 16;

  private TfHostKernels() {}

  /**
   * The straight-through backward pass with the LSQ sums; see TensorOps#fakeQuantizeBackward.
   *
   * @return {@code {Σ dy·(rint(v) − v or q − z), Σ dy·(0 or −s)}}, the unscaled step sum and the
   *     zero-point sum, accumulated in double per chunk
   */
  static float[] fakeQuantizeBackward(
      TfStorage x, TfStorage gradOut, float s, float z, int qmin, int qmax, TfStorage gradInput) {
    FloatDataBuffer in = floats(x);
    FloatDataBuffer g = floats(gradOut);
    FloatDataBuffer dx = floats(gradInput);
    float inv = 1f / s;
    long n = x.size();
    double[] sums =
        chunks(n)
            .mapToObj(
                c -> {
                  double ds = 0;
                  double dz = 0;
                  long end = Math.min(n, (c + 1L) * CHUNK);
                  for (long i = (long) c * CHUNK; i < end; i++) {
                    float v = in.getFloat(i) * inv + z;
                    float gi = g.getFloat(i);
                    if (v < qmin) {
                      dx.setFloat(0f, i);
                      ds += gi * (qmin - z);
                      dz -= gi * s;
                    } else if (v > qmax) {
                      dx.setFloat(0f, i);
                      ds += gi * (qmax - z);
                      dz -= gi * s;
                    } else {
                      dx.setFloat(gi, i);
                      ds += gi * ((float) Math.rint(v) - v);
                    }
                  }
                  return new double[] {ds, dz};
                })
            .reduce(new double[2], (a, b) -> new double[] {a[0] + b[0], a[1] + b[1]});
    return new float[] {(float) sums[0], (float) sums[1]};
  }

  /**
   * {@code table[indices[i], :] += src[i, :]} in place, in index order; see
   * TensorOps#scatterAddRows. Rows not named are not touched.
   *
   * @param src {@code [n, d]}, read whole before the first write (so it may share the table's
   *     storage)
   * @param indices {@code n} checked row numbers
   * @param d the row length
   * @param table {@code [V, d]}
   */
  static void scatterAddRows(TfStorage src, int[] indices, int d, TfStorage table) {
    float[] add = new float[Math.multiplyExact(indices.length, d)];
    floats(src).read(add);
    FloatDataBuffer t = floats(table);
    float[] row = new float[d];
    for (int i = 0; i < indices.length; i++) {
      FloatDataBuffer target = t.offset((long) indices[i] * d);
      target.read(row);
      for (int j = 0, at = i * d; j < d; j++) {
        row[j] += add[at + j];
      }
      target.write(row);
    }
  }

  private static IntStream chunks(long n) {
    int count = (int) ((n + CHUNK - 1) / CHUNK);
    IntStream s = IntStream.range(0, count);
    return count > 1 ? s.parallel() : s;
  }

  private static FloatDataBuffer floats(TfStorage storage) {
    return storage.tensor().asRawTensor().data().asFloats();
  }
}
