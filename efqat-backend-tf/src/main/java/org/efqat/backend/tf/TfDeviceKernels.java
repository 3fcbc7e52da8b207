package org.efqat.backend.tf;

import java.util.List;
import org.efqat.api.backend.ParameterKernels;
import org.efqat.backend.tf.TfKernels.Signature;
import org.tensorflow.Operand;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The graph kernels of {@code kernels: device} (issue 13, item 3): what the host placement runs as
 * Java passes over native host buffers, here as TensorFlow operations on tensors that stay in the
 * session, so on a GPU no training step copies an activation or a parameter to the host and back.
 * They are the storage transfers (upload, download, fill), the fake quantizer's backward pass with
 * its LSQ sums, the row scatter-add, and the parameter kernels of {@link
 * org.efqat.api.backend.ParameterKernels}: per-row weight fake quantization and its backward pass,
 * the row-masked SGD and AdamW updates, the non-finite scan and dropout masks.
 *
 * <p>The listed rows are gathered ({@code GatherV2}), computed on and written back ({@code
 * TensorScatterNdUpdate}/{@code TensorScatterNdAdd}), so frozen rows keep their bits; each output
 * is a new session tensor (graph kernels do not write in place), which on a GPU is a device-memory
 * copy of the parameter, not a host transfer. Element-wise arithmetic follows {@code
 * ParameterKernels} operation by operation, FP32 where it computes in FP32 and FP64 where it
 * computes in double, so the results are its bits ({@code TfPlacementAgreementTest}); the per-row
 * LSQ sums are FP64 reductions of the same FP32 terms, equal to its sequential sums up to their
 * last bits before the final FP32 rounding (the activation quantizer's two sums are FP32
 * reductions, see {@link #fakeQuantizeBackward}). {@code TfDeviceKernelsContractTest} runs the
 * whole backend contract on these kernels on the CPU.
 */
final class TfDeviceKernels {
  /** SplittableRandom's default increment γ. */
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  /** The first and second multipliers of SplittableRandom's 64-bit mix. */
  private static final long MIX1 = 0x62a9d9ed799705f5L;

  private static final long MIX2 = 0xcb24d0a5c88c35b3L;

  /** The non-finite scan returns its position as two exact FP32 halves of this many bits. */
  private static final int POSITION_BITS = 20;

  private final TfKernels kernels;

  TfDeviceKernels(TfKernels kernels) {
    this.kernels = kernels;
  }

  // ---- transfers -------------------------------------------------------------------------

  /**
   * @param data the values, any length
   * @return a new session tensor holding them (its handle), owned by the caller
   */
  Tensor upload(float[] data) {
    try (TFloat32 host = TFloat32.vectorOf(data)) {
      return kernels
          .get(Signature.of("upload"), k -> List.of(k.hostFloats()))
          .call()
          .host(host)
          .produce();
    }
  }

  /**
   * @param t a tensor in the session
   * @param out receives its values
   */
  void download(TfTensor t, float[] out) {
    long n = t.size();
    kernels.get(Signature.of("download", n), k -> List.of(k.input(n))).call().in(t).run(null, out);
  }

  /**
   * @param size the element count
   * @param value the value of every element
   * @return a new session tensor (its handle), owned by the caller
   */
  Tensor filled(long size, float value) {
    return fillKernel(size).call().scalar(value).produce();
  }

  /**
   * @param t a tensor in the session, overwritten
   * @param value the value of every element
   */
  void fill(TfTensor t, float value) {
    fillKernel(t.size()).call().scalar(value).run(t);
  }

  private TfKernel fillKernel(long size) {
    return kernels.get(
        Signature.of("fill", size),
        k -> List.of(k.tf().fill(k.tf().constant(new long[] {size}), k.scalar())));
  }

  // ---- activations -----------------------------------------------------------------------

  /**
   * The fake quantizer's straight-through backward pass with its LSQ sums (TensorOps
   * #fakeQuantizeBackward): {@code dx = dy} inside the grid, 0 outside; the step sum of {@code
   * dy·(rint(v) − v)} inside, {@code dy·(qmin − z)} or {@code dy·(qmax − z)} outside, and the
   * zero-point sum {@code −s·Σ dy} outside. {@code dx} and each term are the host pass's bits; the
   * sums are FP32 reductions (tree-ordered, where the host pass sums in FP64), within the
   * contract's tolerance. Twelve full-size operations: with the terms in FP64 as in the host pass
   * (two casts, selects per side) it took 3.5 times as long per ResNet-20 step.
   *
   * @return {@code {step sum, zero-point sum}}
   */
  float[] fakeQuantizeBackward(
      TfTensor x, TfTensor gradOut, float s, float z, int qmin, int qmax, TfTensor gradInput) {
    long n = x.size();
    float[] sums = new float[2];
    kernels
        .get(
            Signature.of("fakeQuantizeBackward", n),
            k -> {
              Ops tf = k.tf();
              Operand<TFloat32> xIn = k.input(n);
              Operand<TFloat32> dy = k.input(n);
              Operand<TFloat32> negativeStep = k.scalar();
              Operand<TFloat32> inverse = k.scalar();
              Operand<TFloat32> zp = k.scalar();
              Operand<TFloat32> lo = k.scalar();
              Operand<TFloat32> hi = k.scalar();
              TfQuantizerMath.Grid g =
                  new TfQuantizerMath.Grid(tf, TfQuantizerMath.grid(tf, xIn, inverse, zp), lo, hi);
              Operand<TFloat32> dx = g.insideOnly(dy);
              Operand<TFloat32> stepSum = tf.reduceSum(g.stepTerms(dy, zp), tf.constant(0));
              Operand<TFloat32> outsideSum = tf.reduceSum(tf.math.sub(dy, dx), tf.constant(0));
              return List.of(dx, tf.stack(List.of(stepSum, tf.math.mul(outsideSum, negativeStep))));
            })
        .call()
        .in(x)
        .in(gradOut)
        .scalar(-s)
        .scalar(1f / s)
        .scalar(z)
        .scalar(qmin)
        .scalar(qmax)
        .run(gradInput, sums);
    return sums;
  }

  /**
   * {@code table[indices[i], :] += src[i, :]} in index order (TensorOps#scatterAddRows).
   *
   * @param src {@code [n, d]}
   * @param indices {@code n} checked row numbers
   * @param table {@code [V, d]}
   */
  void scatterAddRows(TfTensor src, int[] indices, TfTensor table) {
    long[] t = table.dims();
    kernels
        .get(
            Signature.of("scatterAddRows", t),
            k -> {
              Ops tf = k.tf();
              Operand<TFloat32> srcIn = k.input(Shape.UNKNOWN_ROWS, t[1]);
              Operand<TFloat32> tableIn = k.input(t);
              Operand<TInt32> index = tf.expandDims(k.indices(), tf.constant(1));
              return List.of(tf.tensorScatterNdAdd(tableIn, index, srcIn));
            })
        .call()
        .in(src)
        .in(table)
        .indices(indices)
        .run(table);
  }

  // ---- parameters ------------------------------------------------------------------------

  /**
   * Per-row fake quantization (ParameterKernels#fakeQuantizeRows).
   *
   * @param x {@code [R, K]}
   * @param step {@code [R]}
   * @param zeroPoint {@code [R]}
   * @param rows {@code R}
   * @param qmin the lowest level
   * @param qmax the highest level
   * @param out {@code [R, K]}
   */
  void fakeQuantizeRows(
      TfTensor x, TfTensor step, TfTensor zeroPoint, int rows, int qmin, int qmax, TfTensor out) {
    long[] m = {rows, x.size() / rows};
    kernels
        .get(
            Signature.of("fakeQuantizeRows", m),
            k -> {
              Ops tf = k.tf();
              Operand<TFloat32> xIn = k.input(m);
              Operand<TFloat32> s = k.input(rows, 1);
              Operand<TFloat32> z = k.input(rows, 1);
              Operand<TFloat32> lo = k.scalar();
              Operand<TFloat32> hi = k.scalar();
              Operand<TFloat32> inverse = reciprocal(k, s);
              return List.of(TfQuantizerMath.fakeQuantize(tf, xIn, s, inverse, z, lo, hi));
            })
        .call()
        .in(x)
        .in(step)
        .in(zeroPoint)
        .scalar(qmin)
        .scalar(qmax)
        .scalar(1f)
        .run(out);
  }

  /**
   * The straight-through and LSQ backward pass of {@link #fakeQuantizeRows} for some rows, added to
   * the gradients (ParameterKernels#fakeQuantizeRowsBackward).
   *
   * @param x {@code [R, K]}
   * @param gradOut {@code [U, K]}, the listed rows in order ({@code [R, K]} for all)
   * @param rows the rows, strictly increasing and not empty, or {@code null} for all
   * @param rowCount {@code R}
   * @param step {@code [R]}
   * @param zeroPoint {@code [R]}
   * @param qmin the lowest level
   * @param qmax the highest level
   * @param stepGradScale the LSQ scale of the step gradient
   * @param gradInput {@code [R, K]}, added to in the listed rows
   * @param gradStep {@code [R]}, added to in the listed rows, or {@code null}
   */
  void fakeQuantizeRowsBackward(
      TfTensor x,
      TfTensor gradOut,
      int[] rows,
      int rowCount,
      TfTensor step,
      TfTensor zeroPoint,
      int qmin,
      int qmax,
      double stepGradScale,
      TfTensor gradInput,
      TfTensor gradStep) {
    long[] m = {rowCount, x.size() / rowCount};
    boolean indexed = rows != null;
    boolean learnsStep = gradStep != null;
    TfKernel.Call call =
        kernels
            .get(
                Signature.of("fakeQuantizeRowsBackward", m, indexed, learnsStep),
                k -> {
                  Ops tf = k.tf();
                  RowAccess r = new RowAccess(tf, indexed ? k.indices() : null);
                  Operand<TFloat32> xs = r.gather(k.input(m));
                  Operand<TFloat32> dy = k.input(Shape.UNKNOWN_ROWS, m[1]);
                  Operand<TFloat32> s = r.gather(k.input(rowCount, 1));
                  Operand<TFloat32> z = r.gather(k.input(rowCount, 1));
                  Operand<TFloat32> lo = k.scalar();
                  Operand<TFloat32> hi = k.scalar();
                  Operand<TFloat32> inverse = reciprocal(k, s);
                  TfQuantizerMath.Grid g =
                      new TfQuantizerMath.Grid(
                          tf, TfQuantizerMath.grid(tf, xs, inverse, z), lo, hi);
                  Operand<TFloat32> dx = g.insideOnly(dy);
                  Operand<TFloat32> dInput = r.add(k.input(m), dx);
                  if (!learnsStep) {
                    return List.of(dInput);
                  }
                  Operand<TFloat64> scale = k.doubles();
                  Operand<TFloat64> sums =
                      tf.reduceSum(
                          tf.dtypes.cast(g.stepTerms(dy, z), TFloat64.class),
                          tf.constant(1),
                          org.tensorflow.op.core.ReduceSum.keepDims(true));
                  Operand<TFloat32> ds = tf.dtypes.cast(tf.math.mul(sums, scale), TFloat32.class);
                  return List.of(dInput, r.add(k.input(rowCount, 1), ds));
                })
            .call();
    if (indexed) {
      call.indices(rows);
    }
    call.in(x)
        .in(gradOut)
        .in(step)
        .in(zeroPoint)
        .scalar(qmin)
        .scalar(qmax)
        .scalar(1f)
        .in(gradInput);
    if (learnsStep) {
      call.doubles(stepGradScale).in(gradStep).runInto(gradInput, gradStep);
    } else {
      call.run(gradInput);
    }
  }

  /**
   * The row-masked SGD update (ParameterKernels#sgd), in FP64 as there.
   *
   * @param w the parameter as {@code [R, K]}
   * @param grad its gradient
   * @param velocity the momentum buffer
   * @param rows the rows, strictly increasing and not empty, or {@code null} for all
   * @param rowCount {@code R}
   * @param lr the learning rate
   * @param momentum {@code μ}
   * @param nesterov Nesterov momentum
   * @param weightDecay L2 decay {@code λ}
   * @param minValue the floor of the updated values
   */
  void sgd(
      TfTensor w,
      TfTensor grad,
      TfTensor velocity,
      int[] rows,
      int rowCount,
      double lr,
      double momentum,
      boolean nesterov,
      double weightDecay,
      float minValue) {
    long[] m = {rowCount, w.size() / rowCount};
    boolean indexed = rows != null;
    TfKernel.Call call =
        kernels
            .get(
                Signature.of("sgd", m, indexed, nesterov),
                k -> {
                  Ops tf = k.tf();
                  RowAccess r = new RowAccess(tf, indexed ? k.indices() : null);
                  Operand<TFloat32> wAll = k.input(m);
                  Operand<TFloat32> vAll = k.input(m);
                  Operand<TFloat64> wd = r.gather64(wAll);
                  Operand<TFloat64> v = r.gather64(vAll);
                  Operand<TFloat64> g = r.gather64(k.input(m));
                  Operand<TFloat64> lrIn = k.doubles();
                  Operand<TFloat64> mu = k.doubles();
                  Operand<TFloat64> decay = k.doubles();
                  Operand<TFloat32> floor = k.scalar();
                  g = tf.math.add(g, tf.math.mul(decay, wd)); // g = ∇ + λ·w
                  v = tf.math.add(tf.math.mul(mu, v), g); // v = μ·v + g
                  Operand<TFloat64> d = nesterov ? tf.math.add(g, tf.math.mul(mu, v)) : v;
                  Operand<TFloat64> updated = tf.math.sub(wd, tf.math.mul(lrIn, d));
                  return List.of(
                      r.write(wAll, floored(tf, updated, floor)),
                      r.write(vAll, tf.dtypes.cast(v, TFloat32.class)));
                })
            .call();
    if (indexed) {
      call.indices(rows);
    }
    call.in(w)
        .in(velocity)
        .in(grad)
        .doubles(lr)
        .doubles(momentum)
        .doubles(weightDecay)
        .scalar(minValue)
        .runInto(w, velocity);
  }

  /**
   * The row-masked AdamW update (ParameterKernels#adamw), in FP64 as there.
   *
   * @param w the parameter as {@code [R, K]}
   * @param grad its gradient
   * @param m the first moments
   * @param v the second moments
   * @param rows the rows, strictly increasing and not empty, or {@code null} for all
   * @param steps {@code t} of each listed row (every row for {@code null})
   * @param rowCount {@code R}
   * @param lr the learning rate
   * @param beta1 {@code β1}
   * @param beta2 {@code β2}
   * @param eps {@code ε}
   * @param weightDecay decoupled decay {@code λ}
   * @param minValue the floor of the updated values
   */
  void adamw(
      TfTensor w,
      TfTensor grad,
      TfTensor m,
      TfTensor v,
      int[] rows,
      int[] steps,
      int rowCount,
      double lr,
      double beta1,
      double beta2,
      double eps,
      double weightDecay,
      float minValue) {
    double[] c1 = ParameterKernels.biasCorrections(beta1, steps);
    double[] c2 = ParameterKernels.biasCorrections(beta2, steps);
    long[] shape = {rowCount, w.size() / rowCount};
    boolean indexed = rows != null;
    TfKernel.Call call =
        kernels
            .get(
                Signature.of("adamw", shape, indexed),
                k -> {
                  Ops tf = k.tf();
                  RowAccess r = new RowAccess(tf, indexed ? k.indices() : null);
                  Operand<TFloat32> wAll = k.input(shape);
                  Operand<TFloat32> mAll = k.input(shape);
                  Operand<TFloat32> vAll = k.input(shape);
                  Operand<TFloat64> wd = r.gather64(wAll);
                  Operand<TFloat64> mj = r.gather64(mAll);
                  Operand<TFloat64> vj = r.gather64(vAll);
                  Operand<TFloat64> g = r.gather64(k.input(shape));
                  Operand<TFloat64> bias1 = column(tf, k.doubles());
                  Operand<TFloat64> bias2 = column(tf, k.doubles());
                  Operand<TFloat64> b1 = k.doubles();
                  Operand<TFloat64> oneMinusB1 = k.doubles();
                  Operand<TFloat64> b2 = k.doubles();
                  Operand<TFloat64> oneMinusB2 = k.doubles();
                  Operand<TFloat64> epsIn = k.doubles();
                  Operand<TFloat64> decay = k.doubles();
                  Operand<TFloat64> lrIn = k.doubles();
                  Operand<TFloat32> floor = k.scalar();
                  // β1·m + (1 − β1)·g; β2·v + ((1 − β2)·g)·g
                  mj = tf.math.add(tf.math.mul(b1, mj), tf.math.mul(oneMinusB1, g));
                  vj = tf.math.add(tf.math.mul(b2, vj), tf.math.mul(tf.math.mul(oneMinusB2, g), g));
                  Operand<TFloat64> denominator =
                      tf.math.add(tf.math.sqrt(tf.math.div(vj, bias2)), epsIn);
                  Operand<TFloat64> update =
                      tf.math.add(
                          tf.math.div(tf.math.div(mj, bias1), denominator), tf.math.mul(decay, wd));
                  Operand<TFloat64> updated = tf.math.sub(wd, tf.math.mul(lrIn, update));
                  return List.of(
                      r.write(wAll, floored(tf, updated, floor)),
                      r.write(mAll, tf.dtypes.cast(mj, TFloat32.class)),
                      r.write(vAll, tf.dtypes.cast(vj, TFloat32.class)));
                })
            .call();
    if (indexed) {
      call.indices(rows);
    }
    call.in(w)
        .in(m)
        .in(v)
        .in(grad)
        .doubles(c1)
        .doubles(c2)
        .doubles(beta1)
        .doubles(1 - beta1)
        .doubles(beta2)
        .doubles(1 - beta2)
        .doubles(eps)
        .doubles(weightDecay)
        .doubles(lr)
        .scalar(minValue)
        .runInto(w, m, v);
  }

  /**
   * @param t a non-empty tensor
   * @return the row-major position of its first NaN or infinity, or -1
   */
  long firstNonFinite(TfTensor t) {
    long n = t.size();
    float[] halves = new float[2];
    kernels
        .get(
            Signature.of("firstNonFinite", n),
            k -> {
              Ops tf = k.tf();
              Operand<TBool> bad = tf.math.logicalNot(tf.math.isFinite(k.input(n)));
              Operand<TInt64> positions = tf.reshape(tf.where(bad), tf.constant(new long[] {-1}));
              // the smallest position, or n when every value is finite
              Operand<TInt64> first =
                  tf.reduceMin(
                      tf.concat(List.of(positions, tf.constant(new long[] {n})), tf.constant(0)),
                      tf.constant(0));
              Operand<TInt64> unit = tf.constant(1L << POSITION_BITS);
              return List.of(
                  tf.dtypes.cast(
                      tf.stack(
                          List.of(tf.math.floorDiv(first, unit), tf.math.floorMod(first, unit))),
                      TFloat32.class));
            })
        .call()
        .in(t)
        .run(null, halves);
    long first = ((long) halves[0] << POSITION_BITS) + (long) halves[1];
    return first == n ? -1 : first;
  }

  /**
   * An inverted-dropout mask ({@link org.efqat.api.backend.DropoutMasks}) as INT64 operations:
   * element {@code i} draws {@code new SplittableRandom(seed)}'s {@code i}-th {@code nextFloat()}
   * by mixing {@code seed + (i + 1)·γ} (multiplications wrap as in Java; Java's unsigned shifts are
   * arithmetic shifts masked to the shifted width), so the mask is the heap's bit for bit.
   *
   * @param out the mask, overwritten
   * @param seed the stream's seed
   * @param probability {@code p} in {@code [0, 1)}
   */
  void dropoutMask(TfTensor out, long seed, float probability) {
    long n = out.size();
    kernels
        .get(
            Signature.of("dropoutMask", n),
            k -> {
              Ops tf = k.tf();
              Operand<TInt64> start = k.longs();
              Operand<TFloat32> p = k.scalar();
              Operand<TFloat32> scale = k.scalar();
              Operand<TInt64> counter =
                  tf.range(tf.constant(1L), tf.constant(n + 1), tf.constant(1L));
              Operand<TInt64> z =
                  tf.math.add(tf.math.mul(counter, tf.constant(GOLDEN_GAMMA)), start);
              z = tf.math.mul(mixShift(tf, z, 33), tf.constant(MIX1));
              z = tf.math.mul(mixShift(tf, z, 28), tf.constant(MIX2));
              Operand<TFloat32> uniform =
                  tf.math.mul(
                      tf.dtypes.cast(logicalShiftRight(tf, z, 40), TFloat32.class),
                      tf.constant(0x1.0p-24f));
              Operand<TFloat32> zero = tf.zerosLike(uniform);
              return List.of(tf.select(tf.math.less(uniform, p), zero, tf.math.add(zero, scale)));
            })
        .call()
        .longs(seed)
        .scalar(probability)
        .scalar(1f / (1f - probability))
        .run(out);
  }

  // ---- graph helpers ---------------------------------------------------------------------

  /**
   * {@code 1/s} as an IEEE division, as {@code 1f / s} in Java. The numerator is a fed scalar (the
   * next parameter, fed {@code 1f}): with a constant numerator and static shapes, Grappler's
   * constant folding rewrites the division into {@code Reciprocal}, whose CPU kernel is not the
   * correctly rounded quotient (seen as per-row LSQ step gradients 1e-6 apart from the host
   * kernels', {@code TfPlacementAgreementTest}).
   */
  private static Operand<TFloat32> reciprocal(TfKernel.Builder k, Operand<TFloat32> s) {
    return k.tf().math.div(k.scalar(), s);
  }

  /** {@code z ^ (z >>> shift)}. */
  private static Operand<TInt64> mixShift(Ops tf, Operand<TInt64> z, int shift) {
    return tf.bitwise.bitwiseXor(z, logicalShiftRight(tf, z, shift));
  }

  /** {@code z >>> shift}: an arithmetic shift, then the sign's copies masked off. */
  private static Operand<TInt64> logicalShiftRight(Ops tf, Operand<TInt64> z, int shift) {
    return tf.bitwise.bitwiseAnd(
        tf.bitwise.rightShift(z, tf.constant((long) shift)), tf.constant(-1L >>> shift));
  }

  /** {@code max((float) x, floor)}: rounded to FP32 first, then floored, as ParameterKernels. */
  private static Operand<TFloat32> floored(Ops tf, Operand<TFloat64> x, Operand<TFloat32> floor) {
    return tf.math.maximum(tf.dtypes.cast(x, TFloat32.class), floor);
  }

  /** {@code [U]} as {@code [U, 1]}, for broadcasting along the rows. */
  private static Operand<TFloat64> column(Ops tf, Operand<TFloat64> v) {
    return tf.expandDims(v, tf.constant(1));
  }

  /** Shapes with a row count known only per call. */
  private static final class Shape {
    /** {@code Reshape}'s inferred dimension. */
    static final long UNKNOWN_ROWS = -1;

    private Shape() {}
  }

  /** Reads and writes the listed rows of {@code [R, K]} tensors, or every row. */
  private static final class RowAccess {
    private final Ops tf;
    private final Operand<TInt32> rows;
    private final Operand<TInt32> scatterIndex;

    /**
     * @param rows the row indices, or {@code null} for every row
     */
    RowAccess(Ops tf, Operand<TInt32> rows) {
      this.tf = tf;
      this.rows = rows;
      this.scatterIndex = rows == null ? null : tf.expandDims(rows, tf.constant(1));
    }

    Operand<TFloat32> gather(Operand<TFloat32> all) {
      return rows == null ? all : tf.gather(all, rows, tf.constant(0));
    }

    Operand<TFloat64> gather64(Operand<TFloat32> all) {
      return tf.dtypes.cast(gather(all), TFloat64.class);
    }

    /** {@code all} with the listed rows replaced by {@code values}. */
    Operand<TFloat32> write(Operand<TFloat32> all, Operand<TFloat32> values) {
      return rows == null ? values : tf.tensorScatterNdUpdate(all, scatterIndex, values);
    }

    /** {@code all} with {@code values} added to the listed rows, in FP32. */
    Operand<TFloat32> add(Operand<TFloat32> all, Operand<TFloat32> values) {
      return rows == null
          ? tf.math.add(all, values)
          : tf.tensorScatterNdAdd(all, scatterIndex, values);
    }
  }
}
