package org.efqat.backend.nd4j;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;
import org.efqat.api.backend.ConvGeometry;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Kernels ND4J has no NHWC form of, written as Java loops over the arrays' native buffers (no
 * copies to the heap) and split over samples across the common fork-join pool: im2col/col2im in the
 * {@code (ky, kx, c)} layout of {@link ConvGeometry}, max pooling, and the fused per-tensor fake
 * quantization of DESIGN.md 1.1.
 */
final class NioKernels {
  private NioKernels() {}

  /**
   * @param a an array
   * @return whether its elements are C-ordered and contiguous, so a flat view or a reshape of it
   *     reads and writes its storage
   */
  static boolean isContiguous(INDArray a) {
    return a.ordering() == 'c' && (a.length() <= 1 || a.elementWiseStride() == 1);
  }

  /**
   * A host view of an array. On a CUDA build the host copy is brought up to date first and then
   * marked as the newest, so ND4J copies it back before the device next reads it; on the CPU build
   * both calls do nothing.
   *
   * @param a a C-ordered, contiguous FP32 array
   * @return a direct buffer over its elements, position 0
   */
  static FloatBuffer buffer(INDArray a) {
    if (!isContiguous(a)) {
      throw new IllegalStateException(
          "expected a contiguous C-order array, got " + a.shapeInfoToString());
    }
    AffinityManager affinity = Nd4j.getAffinityManager();
    affinity.ensureLocation(a, AffinityManager.Location.HOST);
    affinity.tagLocation(a, AffinityManager.Location.HOST);
    FloatBuffer b = a.data().asNioFloat();
    return b.position((int) a.offset()).slice();
  }

  static void im2col(INDArray input, ConvGeometry g, INDArray cols) {
    FloatBuffer x = buffer(input);
    FloatBuffer out = buffer(cols);
    int oh = g.outH();
    int ow = g.outW();
    int c = g.c();
    int k = g.kh() * g.kw() * c;
    int plane = g.h() * g.w() * c;
    int rows = oh * ow * k;
    // One bulk copy of a sample's input to the heap, windows assembled with arraycopy, one bulk
    // copy back: per-element buffer access costs bounds checks the JIT does not remove.
    IntStream.range(0, g.n())
        .parallel()
        .forEach(
            b -> {
              float[] in = new float[plane];
              float[] dst = new float[rows];
              x.get(b * plane, in, 0, plane);
              for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                  int row = (oy * ow + ox) * k;
                  for (int ky = 0; ky < g.kh(); ky++) {
                    int iy = oy * g.stride() - g.pad() + ky;
                    for (int kx = 0; kx < g.kw(); kx++) {
                      int ix = ox * g.stride() - g.pad() + kx;
                      if (iy >= 0 && iy < g.h() && ix >= 0 && ix < g.w()) {
                        System.arraycopy(
                            in, (iy * g.w() + ix) * c, dst, row + (ky * g.kw() + kx) * c, c);
                      } // else: zeros, as allocated
                    }
                  }
                }
              }
              out.duplicate().put(b * rows, dst, 0, rows);
            });
  }

  static void col2im(INDArray cols, ConvGeometry g, INDArray gradInput) {
    FloatBuffer in = buffer(cols);
    FloatBuffer dx = buffer(gradInput);
    int oh = g.outH();
    int ow = g.outW();
    int c = g.c();
    int k = g.kh() * g.kw() * c;
    int plane = g.h() * g.w() * c;
    int rows = oh * ow * k;
    IntStream.range(0, g.n())
        .parallel()
        .forEach(
            b -> {
              float[] acc = new float[plane];
              float[] src = new float[rows];
              in.get(b * rows, src, 0, rows);
              for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                  int row = (oy * ow + ox) * k;
                  for (int ky = 0; ky < g.kh(); ky++) {
                    int iy = oy * g.stride() - g.pad() + ky;
                    if (iy < 0 || iy >= g.h()) {
                      continue;
                    }
                    for (int kx = 0; kx < g.kw(); kx++) {
                      int ix = ox * g.stride() - g.pad() + kx;
                      if (ix < 0 || ix >= g.w()) {
                        continue;
                      }
                      int to = (iy * g.w() + ix) * c;
                      int from = row + (ky * g.kw() + kx) * c;
                      for (int j = 0; j < c; j++) {
                        acc[to + j] += src[from + j];
                      }
                    }
                  }
                }
              }
              dx.duplicate().put(b * plane, acc, 0, plane);
            });
  }

  /** Max pooling; fills {@code argmax} (flat input index per output) when it is not null. */
  static void maxPool(INDArray input, ConvGeometry g, INDArray out, int[] argmax) {
    FloatBuffer x = buffer(input);
    FloatBuffer y = buffer(out);
    int oh = g.outH();
    int ow = g.outW();
    int c = g.c();
    IntStream.range(0, g.n())
        .parallel()
        .forEach(
            b -> {
              for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                  for (int j = 0; j < c; j++) {
                    float best = Float.NEGATIVE_INFINITY;
                    int where = -1;
                    for (int ky = 0; ky < g.kh(); ky++) {
                      int iy = oy * g.stride() - g.pad() + ky;
                      if (iy < 0 || iy >= g.h()) {
                        continue;
                      }
                      for (int kx = 0; kx < g.kw(); kx++) {
                        int ix = ox * g.stride() - g.pad() + kx;
                        if (ix < 0 || ix >= g.w()) {
                          continue;
                        }
                        int idx = ((b * g.h() + iy) * g.w() + ix) * c + j;
                        float v = x.get(idx);
                        if (v > best || where < 0) {
                          best = v;
                          where = idx;
                        }
                      }
                    }
                    int o = ((b * oh + oy) * ow + ox) * c + j;
                    y.put(o, best);
                    if (argmax != null) {
                      argmax[o] = where;
                    }
                  }
                }
              }
            });
  }

  static void avgPool(INDArray input, ConvGeometry g, INDArray out) {
    FloatBuffer x = buffer(input);
    FloatBuffer y = buffer(out);
    int oh = g.outH();
    int ow = g.outW();
    int c = g.c();
    float inv = 1f / (g.kh() * g.kw());
    int plane = g.h() * g.w() * c;
    IntStream.range(0, g.n())
        .parallel()
        .forEach(
            b -> {
              float[] in = new float[plane];
              float[] res = new float[oh * ow * c];
              x.get(b * plane, in, 0, plane);
              for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                  int o = (oy * ow + ox) * c;
                  for (int ky = 0; ky < g.kh(); ky++) {
                    int iy = oy * g.stride() - g.pad() + ky;
                    for (int kx = 0; kx < g.kw(); kx++) {
                      int ix = ox * g.stride() - g.pad() + kx;
                      if (iy >= 0 && iy < g.h() && ix >= 0 && ix < g.w()) {
                        int at = (iy * g.w() + ix) * c;
                        for (int j = 0; j < c; j++) {
                          res[o + j] += in[at + j] * inv;
                        }
                      }
                    }
                  }
                }
              }
              y.duplicate().put(b * res.length, res, 0, res.length);
            });
  }

  static void avgPoolBackward(INDArray gradOut, ConvGeometry g, INDArray gradInput) {
    FloatBuffer dy = buffer(gradOut);
    FloatBuffer dx = buffer(gradInput);
    int oh = g.outH();
    int ow = g.outW();
    int c = g.c();
    float inv = 1f / (g.kh() * g.kw());
    int plane = g.h() * g.w() * c;
    IntStream.range(0, g.n())
        .parallel()
        .forEach(
            b -> {
              float[] grad = new float[oh * ow * c];
              float[] acc = new float[plane];
              dy.get(b * grad.length, grad, 0, grad.length);
              for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                  int o = (oy * ow + ox) * c;
                  for (int ky = 0; ky < g.kh(); ky++) {
                    int iy = oy * g.stride() - g.pad() + ky;
                    for (int kx = 0; kx < g.kw(); kx++) {
                      int ix = ox * g.stride() - g.pad() + kx;
                      if (iy >= 0 && iy < g.h() && ix >= 0 && ix < g.w()) {
                        int at = (iy * g.w() + ix) * c;
                        for (int j = 0; j < c; j++) {
                          acc[at + j] += grad[o + j] * inv;
                        }
                      }
                    }
                  }
                }
              }
              dx.duplicate().put(b * plane, acc, 0, plane);
            });
  }

  static void fakeQuantize(INDArray input, float s, float z, int qmin, int qmax, INDArray out) {
    FloatBuffer x = buffer(input);
    FloatBuffer y = buffer(out);
    int n = (int) input.length();
    float inv = 1f / s;
    chunks(n)
        .forEach(
            range -> {
              for (int i = range[0]; i < range[1]; i++) {
                float q = (float) Math.rint(x.get(i) * inv + z);
                q = Math.max(qmin, Math.min(qmax, q));
                y.put(i, s * (q - z));
              }
            });
  }

  static float[] fakeQuantizeBackward(
      INDArray input, INDArray gradOut, float s, float z, int qmin, int qmax, INDArray gradInput) {
    FloatBuffer x = buffer(input);
    FloatBuffer dy = buffer(gradOut);
    FloatBuffer dx = buffer(gradInput);
    int n = (int) input.length();
    float inv = 1f / s;
    return chunks(n)
        .map(
            range -> {
              double ds = 0;
              double dz = 0;
              for (int i = range[0]; i < range[1]; i++) {
                float v = x.get(i) * inv + z;
                float g = dy.get(i);
                if (v < qmin) {
                  dx.put(i, 0f);
                  ds += g * (qmin - z);
                  dz -= g * s;
                } else if (v > qmax) {
                  dx.put(i, 0f);
                  ds += g * (qmax - z);
                  dz -= g * s;
                } else {
                  dx.put(i, g);
                  ds += g * ((float) Math.rint(v) - v);
                }
              }
              return new double[] {ds, dz};
            })
        .reduce((a, b) -> new double[] {a[0] + b[0], a[1] + b[1]})
        .map(d -> new float[] {(float) d[0], (float) d[1]})
        .orElse(new float[2]);
  }

  /** {@code out[m, c] = x[m, c]·xs[c] + y[m, c]·ys[c] + shift[c]}; {@code y} may be null. */
  static void columnAffine(
      INDArray x, float[] xs, INDArray y, float[] ys, float[] shift, INDArray out) {
    FloatBuffer xb = buffer(x);
    FloatBuffer yb = y == null ? null : buffer(y);
    FloatBuffer ob = buffer(out);
    int c = xs.length;
    int rows = (int) (x.length() / c);
    chunks(rows)
        .forEach(
            range -> {
              for (int m = range[0]; m < range[1]; m++) {
                for (int j = 0, i = m * c; j < c; j++, i++) {
                  float v = xb.get(i) * xs[j] + shift[j];
                  ob.put(i, yb == null ? v : v + yb.get(i) * ys[j]);
                }
              }
            });
  }

  /** {@code out[c] = Σ_m x[m, c]·y[m, c]}, accumulated in double per chunk. */
  static void columnDots(INDArray x, INDArray y, float[] out) {
    FloatBuffer xb = buffer(x);
    FloatBuffer yb = buffer(y);
    int c = out.length;
    int rows = (int) (x.length() / c);
    double[] sums =
        chunks(rows)
            .map(
                range -> {
                  double[] acc = new double[c];
                  for (int m = range[0]; m < range[1]; m++) {
                    for (int j = 0, i = m * c; j < c; j++, i++) {
                      acc[j] += (double) xb.get(i) * yb.get(i);
                    }
                  }
                  return acc;
                })
            .reduce(
                new double[c],
                (a, b) -> {
                  double[] r = new double[c];
                  for (int j = 0; j < c; j++) {
                    r[j] = a[j] + b[j];
                  }
                  return r;
                });
    for (int j = 0; j < c; j++) {
      out[j] = (float) sums[j];
    }
  }

  /** Splits {@code [0, n)} into a few contiguous ranges processed in parallel. */
  private static java.util.stream.Stream<int[]> chunks(int n) {
    int parts = n < 65_536 ? 1 : Math.min(64, Runtime.getRuntime().availableProcessors() * 4);
    return IntStream.range(0, parts)
        .parallel()
        .mapToObj(
            p -> new int[] {(int) ((long) n * p / parts), (int) ((long) n * (p + 1) / parts)});
  }
}
