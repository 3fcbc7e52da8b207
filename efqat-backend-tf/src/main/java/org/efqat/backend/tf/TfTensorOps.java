package org.efqat.backend.tf;

import static org.efqat.backend.tf.TfShapes.matrix;
import static org.efqat.backend.tf.TfShapes.requireDims;
import static org.efqat.backend.tf.TfShapes.requireLength;
import static org.efqat.backend.tf.TfShapes.requireRank;
import static org.efqat.backend.tf.TfShapes.requireReshape;
import static org.efqat.backend.tf.TfShapes.requireSameSize;
import static org.efqat.backend.tf.TfShapes.requireShape;

import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.List;
import org.efqat.api.backend.ConvGeometry;
import org.efqat.api.backend.FloatAccess;
import org.efqat.api.backend.ParameterRows;
import org.efqat.api.backend.Shapes;
import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;
import org.efqat.backend.tf.TfKernels.Signature;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The TensorFlow kernels, each a {@link TfKernel} built once per signature in the backend's graph
 * and run as one session call. Every output is a new native tensor that replaces the output
 * tensor's values (see {@link TfStorage}), so an output may alias an input. Element-wise kernels
 * read every operand as a flat vector, so they depend only on the element count.
 *
 * <ul>
 *   <li>gemm: {@code MatMul}, times the fed {@code alpha} unless it is 1, plus the old {@code c}
 *       times the fed {@code beta} unless it is 0 (then {@code c} is not read, even if NaN).
 *   <li>The sparse-row weight gradient gathers the unfrozen columns of {@code dY} ({@code GatherV2}
 *       with the fed int32 rows), multiplies only those ({@code MatMul} with {@code transpose_a})
 *       and writes the rows into a copy of {@code dW} with {@code TensorScatterNdUpdate}: the GEMM
 *       does {@code |U|/C_out} of the dense work.
 *   <li>Window kernels (im2col, col2im, max pooling) are in {@link TfWindows}.
 *   <li>Element-wise: {@code Add}, {@code Relu}, {@code ReluGrad}; per-channel: {@code Sum} over
 *       the rows of {@code [M, C]} and broadcast {@code Mul}/{@code Add} with fed {@code [C]}
 *       vectors; global average pooling: {@code Mean} over {@code h, w} and {@code BroadcastTo}.
 *   <li>Direct convolution ({@code Conv2D} + {@code BiasAdd} and the two backprops) is in {@link
 *       TfConvolution}.
 *   <li>Fake quantization: {@code v = x·(1/s) + z} with the reciprocal fed from Java, {@code Rint}
 *       (half to even), {@code ClipByValue}. Its backward with the two LSQ sums runs as one Java
 *       pass over the native buffers ({@link TfHostKernels}); as graph ops it was a chain of about
 *       12 full-size operations, twice as slow.
 *   <li>Transformer kernels: batched GEMM is {@code BatchMatMulV3} ({@code adj_x}/{@code adj_y} for
 *       the transposes) with {@code alpha}/{@code beta} as in gemm; the axis swap is {@code
 *       Transpose} with {@code perm = {0, 2, 1, 3}}; the row gather is {@code GatherV2} on axis 0
 *       with the fed int32 indices; the element-wise product is {@code Mul}; GELU, row
 *       normalization and the softmaxes are the subgraphs of {@link TfTransformerMath} ({@code
 *       Erf}, {@code Mean}/{@code Rsqrt}, {@code SelectV2} + {@code Softmax}), normalization
 *       fetching {@code x̂} and {@code r} from one run.
 *   <li>The row scatter-add runs on the host ({@link TfHostKernels}), in place: as a graph kernel
 *       ({@code TensorScatterNdAdd}) its output is a new copy of the whole table, 3.3 ms for 1024
 *       rows into an embedding gradient of 30522 × 384 against 0.43 ms in place. (On a 512-row
 *       table the graph was 0.2 ms against 0.38 ms; the large table is the one that matters.) The
 *       gather stays in the graph, which was faster in both cases (0.26 against 1.06 ms, 0.17
 *       against 0.38 ms).
 * </ul>
 */
final class TfTensorOps implements TensorOps {
  private final TfBackend backend;
  private final TfKernels kernels;
  private final VariantChooser weightRowVariants = new VariantChooser();

  /**
   * The graph kernels of {@code kernels: device}, or {@code null} when tensors are host buffers.
   */
  private final TfDeviceKernels device;

  TfTensorOps(TfBackend backend, TfKernels kernels) {
    this.backend = backend;
    this.kernels = kernels;
    this.device = kernels.resident() ? new TfDeviceKernels(kernels) : null;
  }

  // ---- creation and transfer -------------------------------------------------------------

  @Override
  public Tensor fromArray(float[] data, long... shape) {
    Shapes.checkData(data.length, shape);
    if (device != null) {
      return adopt(device.upload(data), shape);
    }
    return adopt(TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(data, true, false)), shape);
  }

  @Override
  public Tensor zeros(long... shape) {
    requireDims(shape);
    if (device != null) {
      return adopt(device.filled(TfShapes.size(shape), 0f), shape);
    }
    TfTensor t = adopt(TFloat32.tensorOf(Shape.of(shape)), shape);
    t.storage().zero();
    return t;
  }

  @Override
  public float[] toArray(Tensor tensor) {
    TfTensor t = unwrap(tensor);
    float[] out = new float[Math.toIntExact(t.size())];
    try {
      if (device != null) {
        device.download(t, out);
      } else {
        t.storage().read(out);
      }
    } finally {
      Reference.reachabilityFence(t);
    }
    return out;
  }

  @Override
  public void copyFrom(float[] data, Tensor tensor) {
    TfTensor t = unwrap(tensor);
    Shapes.checkData(data.length, t.dims());
    try {
      if (device != null) {
        t.storage().replace(device.upload(data));
      } else {
        t.storage().write(data);
      }
    } finally {
      Reference.reachabilityFence(t);
    }
  }

  @Override
  public Tensor reshape(Tensor tensor, long... shape) {
    TfTensor t = unwrap(tensor);
    requireReshape(t.dims(), shape);
    return t.view(shape);
  }

  // ---- matrix products -------------------------------------------------------------------

  @Override
  public void gemm(
      Tensor a,
      boolean transposeA,
      Tensor b,
      boolean transposeB,
      Tensor c,
      float alpha,
      float beta) {
    Shapes.checkGemm(unwrap(a).dims(), transposeA, unwrap(b).dims(), transposeB, unwrap(c).dims());
    product(
        "gemm",
        a,
        transposeA,
        b,
        transposeB,
        c,
        alpha,
        beta,
        (tf, x, y) ->
            tf.linalg.matMul(x, y, MatMul.transposeA(transposeA), MatMul.transposeB(transposeB)));
  }

  /** A matrix product of two graph inputs. */
  @FunctionalInterface
  private interface Product {
    Operand<TFloat32> of(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b);
  }

  /**
   * {@code c = alpha·product(a, b) + beta·c} as one kernel keyed by {@code name}, the shapes, the
   * transpose flags and whether {@code alpha ≠ 1} and {@code beta ≠ 0}; the shapes are checked by
   * the caller.
   */
  private void product(
      String name,
      Tensor a,
      boolean transposeA,
      Tensor b,
      boolean transposeB,
      Tensor c,
      float alpha,
      float beta,
      Product product) {
    TfTensor ta = unwrap(a);
    TfTensor tb = unwrap(b);
    TfTensor tc = unwrap(c);
    boolean scaled = alpha != 1f;
    boolean accumulates = beta != 0f;
    kernels
        .get(
            Signature.of(
                name, ta.dims(), transposeA, tb.dims(), transposeB, tc.dims(), scaled, accumulates),
            k ->
                List.of(
                    scaleAndAccumulate(
                        k,
                        product.of(k.tf(), k.input(ta.dims()), k.input(tb.dims())),
                        tc.dims(),
                        scaled,
                        accumulates)))
        .call()
        .in(ta)
        .in(tb)
        .in(tc)
        .scalar(alpha)
        .scalar(beta)
        .run(tc);
  }

  /**
   * Declares {@code c}, {@code alpha} and {@code beta} (in that order) and returns {@code
   * alpha·product + beta·c}, leaving out the factor 1 and the term with {@code beta = 0} (so {@code
   * c} is not read then, even if NaN).
   */
  private static Operand<TFloat32> scaleAndAccumulate(
      TfKernel.Builder k,
      Operand<TFloat32> product,
      long[] cDims,
      boolean scaled,
      boolean accumulates) {
    Ops tf = k.tf();
    Operand<TFloat32> old = k.input(cDims);
    Operand<TFloat32> alphaIn = k.scalar();
    Operand<TFloat32> betaIn = k.scalar();
    if (scaled) {
      product = tf.math.mul(product, alphaIn);
    }
    if (accumulates) {
      product = tf.math.add(product, tf.math.mul(old, betaIn));
    }
    return product;
  }

  @Override
  public void sparseRowWeightGradient(Tensor gradOut, Tensor input, int[] rows, Tensor gradWeight) {
    TfTensor dy = unwrap(gradOut);
    TfTensor x = unwrap(input);
    TfTensor dw = unwrap(gradWeight);
    Shapes.checkSparseRows(dy.dims(), x.dims(), rows, dw.dims());
    if (rows.length == 0) {
      return;
    }
    if (rows.length == dw.dims()[0]) {
      kernels
          .get(
              Signature.of("denseWeightGradient", dy.dims(), x.dims()),
              k ->
                  List.of(
                      k.tf()
                          .linalg
                          .matMul(k.input(dy.dims()), k.input(x.dims()), MatMul.transposeA(true))))
          .call()
          .in(dy)
          .in(x)
          .run(dw);
      return;
    }
    kernels
        .get(
            Signature.of("sparseRowWeightGradient", dy.dims(), x.dims()),
            k -> {
              Ops tf = k.tf();
              Operand<TFloat32> dyIn = k.input(dy.dims());
              Operand<TFloat32> xIn = k.input(x.dims());
              Operand<TFloat32> dwIn = k.input(dw.dims());
              Operand<TInt32> index = k.indices();
              Operand<TFloat32> dyColumns = tf.gather(dyIn, index, tf.constant(1)); // [N, |U|]
              Operand<TFloat32> partial =
                  tf.linalg.matMul(dyColumns, xIn, MatMul.transposeA(true)); // [|U|, K]
              Operand<TInt32> scatterIndex = tf.expandDims(index, tf.constant(1)); // [|U|, 1]
              return List.of(tf.tensorScatterNdUpdate(dwIn, scatterIndex, partial));
            })
        .call()
        .in(dy)
        .in(x)
        .in(dw)
        .indices(rows)
        .run(dw);
  }

  // ---- convolution helpers (NHWC) --------------------------------------------------------

  @Override
  public void im2col(Tensor input, ConvGeometry geometry, Tensor cols) {
    TfTensor x = unwrap(input);
    TfTensor c = unwrap(cols);
    requireShape("im2col input", x.dims(), geometry.inputShape());
    requireShape("im2col cols", c.dims(), geometry.colsShape());
    kernels
        .get(
            Signature.of("im2col", geometry),
            k -> List.of(new TfWindows(k.tf()).im2col(k.input(geometry.inputShape()), geometry)))
        .call()
        .in(x)
        .run(c);
  }

  @Override
  public void col2im(Tensor cols, ConvGeometry geometry, Tensor gradInput) {
    TfTensor c = unwrap(cols);
    TfTensor dx = unwrap(gradInput);
    requireShape("col2im cols", c.dims(), geometry.colsShape());
    requireShape("col2im gradInput", dx.dims(), geometry.inputShape());
    kernels
        .get(
            Signature.of("col2im", geometry),
            k -> List.of(new TfWindows(k.tf()).col2im(k.input(geometry.colsShape()), geometry)))
        .call()
        .in(c)
        .run(dx);
  }

  // ---- direct convolution (NHWC) ---------------------------------------------------------

  @Override
  public void conv2d(Tensor input, Tensor weight, float[] bias, ConvGeometry geometry, Tensor out) {
    TfTensor x = unwrap(input);
    TfTensor w = unwrap(weight);
    TfTensor y = unwrap(out);
    requireShape("conv2d input", x.dims(), geometry.inputShape());
    long[] ws = requireWeight("conv2d weight", w.dims(), geometry);
    requireShape("conv2d out", y.dims(), new long[] {geometry.colsShape()[0], ws[0]});
    if (bias != null) {
      requireLength("conv2d bias", bias, (int) ws[0]);
    }
    boolean biased = bias != null;
    // BiasAdd right after Conv2D: Grappler's remapper fuses the two into one oneDNN kernel.
    TfKernel.Call call =
        kernels
            .get(
                Signature.of("conv2d", geometry, ws, biased),
                k -> {
                  Ops tf = k.tf();
                  TfConvolution conv = new TfConvolution(tf, geometry);
                  Operand<TFloat32> result =
                      conv.forward(k.input(geometry.inputShape()), conv.filter(k.input(ws)));
                  if (biased) {
                    result = tf.nn.biasAdd(result, k.vector((int) ws[0]));
                  }
                  return List.of(tf.reshape(result, tf.constant(y.dims())));
                })
            .call()
            .in(x)
            .in(w);
    if (biased) {
      call.vector(bias);
    }
    call.run(y);
  }

  @Override
  public void conv2dBackwardInput(
      Tensor gradOut, Tensor weight, ConvGeometry geometry, Tensor gradInput) {
    TfTensor dy = unwrap(gradOut);
    TfTensor w = unwrap(weight);
    TfTensor dx = unwrap(gradInput);
    long[] ws = requireWeight("conv2dBackwardInput weight", w.dims(), geometry);
    requireShape(
        "conv2dBackwardInput gradOut", dy.dims(), new long[] {geometry.colsShape()[0], ws[0]});
    requireShape("conv2dBackwardInput gradInput", dx.dims(), geometry.inputShape());
    kernels
        .get(
            Signature.of("conv2dBackwardInput", geometry, ws),
            k -> {
              TfConvolution conv = new TfConvolution(k.tf(), geometry);
              Operand<TFloat32> dy4 = k.tf().reshape(k.input(dy.dims()), conv.outputShape());
              return List.of(conv.backwardInput(dy4, conv.filter(k.input(ws))));
            })
        .call()
        .in(dy)
        .in(w)
        .run(dx);
  }

  @Override
  public void conv2dBackwardWeightRows(
      Tensor gradOut, Tensor input, ConvGeometry geometry, int[] rows, Tensor gradWeight) {
    TfTensor dy = unwrap(gradOut);
    TfTensor x = unwrap(input);
    TfTensor dw = unwrap(gradWeight);
    long[] ws = requireWeight("conv2dBackwardWeightRows gradWeight", dw.dims(), geometry);
    requireShape("conv2dBackwardWeightRows input", x.dims(), geometry.inputShape());
    requireShape(
        "conv2dBackwardWeightRows gradOut", dy.dims(), new long[] {geometry.colsShape()[0], ws[0]});
    Shapes.checkSparseRows(dy.dims(), new long[] {geometry.colsShape()[0], ws[1]}, rows, dw.dims());
    if (rows.length == 0) {
      return;
    }
    if (rows.length == ws[0]) {
      kernels
          .get(
              Signature.of("conv2dBackwardWeight", geometry, ws),
              k -> {
                TfConvolution conv = new TfConvolution(k.tf(), geometry);
                Operand<TFloat32> dy4 = k.tf().reshape(k.input(dy.dims()), conv.outputShape());
                return List.of(
                    conv.backwardWeight(
                        k.input(geometry.inputShape()),
                        dy4,
                        k.tf().constant(new int[] {(int) ws[0]})));
              })
          .call()
          .in(dy)
          .in(x)
          .run(dw);
      return;
    }
    // Two ways to write the unfrozen rows: gather dY[:, U] and backprop the filter for |U|
    // channels only (the EfQAT saving), or backprop all C_out channels and keep the rows U. They
    // give the same dW[U]; oneDNN's filter backprop is slow for a handful of channels (2 of 16:
    // 4.2 ms against 3.2 ms for all 16 at batch 128, 32x32), so the faster one is measured and
    // kept per shape and |U|.
    weightRowVariants.run(
        Signature.of("weightRows", geometry, ws, rows.length),
        () -> gatheredWeightRows(dy, x, dw, rows, geometry, ws),
        () -> denseWeightRows(dy, x, dw, rows, geometry, ws));
  }

  /** {@code dW[U]} from the filter backprop of the gathered channels {@code dY[:, U]}. */
  private void gatheredWeightRows(
      TfTensor dy, TfTensor x, TfTensor dw, int[] rows, ConvGeometry geometry, long[] ws) {
    kernels
        .get(
            Signature.of("conv2dBackwardWeightRows", geometry, ws),
            k -> {
              Ops tf = k.tf();
              TfConvolution conv = new TfConvolution(tf, geometry);
              Operand<TFloat32> dyIn = k.input(dy.dims());
              Operand<TFloat32> xIn = k.input(geometry.inputShape());
              Operand<TFloat32> dwIn = k.input(dw.dims());
              Operand<TInt32> index = k.indices();
              Operand<TFloat32> dyU =
                  tf.reshape(
                      tf.gather(dyIn, index, tf.constant(1)),
                      conv.outputShape()); // [n, oh, ow, |U|]
              Operand<TFloat32> partial =
                  conv.backwardWeight(
                      xIn,
                      dyU,
                      tf.reshape(tf.size(index), tf.constant(new long[] {1}))); // [|U|, K]
              Operand<TInt32> scatterIndex = tf.expandDims(index, tf.constant(1)); // [|U|, 1]
              return List.of(tf.tensorScatterNdUpdate(dwIn, scatterIndex, partial));
            })
        .call()
        .in(dy)
        .in(x)
        .in(dw)
        .indices(rows)
        .run(dw);
  }

  /** {@code dW[U]} from the filter backprop of all channels, keeping rows {@code U} only. */
  private void denseWeightRows(
      TfTensor dy, TfTensor x, TfTensor dw, int[] rows, ConvGeometry geometry, long[] ws) {
    kernels
        .get(
            Signature.of("conv2dBackwardWeightKeepRows", geometry, ws),
            k -> {
              Ops tf = k.tf();
              TfConvolution conv = new TfConvolution(tf, geometry);
              Operand<TFloat32> dy4 = tf.reshape(k.input(dy.dims()), conv.outputShape());
              Operand<TFloat32> xIn = k.input(geometry.inputShape());
              Operand<TFloat32> dwIn = k.input(dw.dims());
              Operand<TInt32> index = k.indices();
              Operand<TFloat32> full =
                  conv.backwardWeight(xIn, dy4, tf.constant(new int[] {(int) ws[0]})); // [C_out, K]
              Operand<TInt32> scatterIndex = tf.expandDims(index, tf.constant(1)); // [|U|, 1]
              return List.of(
                  tf.tensorScatterNdUpdate(
                      dwIn, scatterIndex, tf.gather(full, index, tf.constant(0))));
            })
        .call()
        .in(dy)
        .in(x)
        .in(dw)
        .indices(rows)
        .run(dw);
  }

  /**
   * @return the weight shape {@code [C_out, kh·kw·c]}, checked against the geometry
   */
  private static long[] requireWeight(String what, long[] shape, ConvGeometry g) {
    requireRank(what, shape, 2);
    requireShape(what, shape, new long[] {shape[0], g.colsShape()[1]});
    return shape;
  }

  // ---- element-wise ----------------------------------------------------------------------

  @Override
  public void add(Tensor a, Tensor b, Tensor out) {
    TfTensor ta = unwrap(a);
    TfTensor tb = unwrap(b);
    TfTensor to = unwrap(out);
    requireSameSize("add", ta.dims(), tb.dims(), to.dims());
    long n = to.size();
    kernels
        .get(Signature.of("add", n), k -> List.of(k.tf().math.add(k.input(n), k.input(n))))
        .call()
        .in(ta)
        .in(tb)
        .run(to);
  }

  @Override
  public void relu(Tensor x, Tensor out) {
    TfTensor tx = unwrap(x);
    TfTensor to = unwrap(out);
    requireSameSize("relu", tx.dims(), to.dims());
    long n = to.size();
    kernels
        .get(Signature.of("relu", n), k -> List.of(k.tf().nn.relu(k.input(n))))
        .call()
        .in(tx)
        .run(to);
  }

  @Override
  public void reluBackward(Tensor output, Tensor gradOut, Tensor gradInput) {
    TfTensor y = unwrap(output);
    TfTensor dy = unwrap(gradOut);
    TfTensor dx = unwrap(gradInput);
    requireSameSize("reluBackward", y.dims(), dy.dims(), dx.dims());
    long n = dx.size();
    kernels
        .get(
            Signature.of("reluBackward", n),
            k -> {
              Operand<TFloat32> yIn = k.input(n);
              Operand<TFloat32> dyIn = k.input(n);
              return List.of(k.tf().nn.reluGrad(dyIn, yIn));
            })
        .call()
        .in(y)
        .in(dy)
        .run(dx);
  }

  // ---- per-channel -----------------------------------------------------------------------

  @Override
  public void columnSums(Tensor x, float[] out) {
    TfTensor tx = unwrap(x);
    long[] m = matrix("columnSums x", tx.dims(), out.length);
    kernels
        .get(
            Signature.of("columnSums", m),
            k -> List.of(k.tf().reduceSum(k.input(m), k.tf().constant(0))))
        .call()
        .in(tx)
        .run(null, out);
  }

  @Override
  public void columnDots(Tensor x, Tensor y, float[] out) {
    TfTensor tx = unwrap(x);
    TfTensor ty = unwrap(y);
    long[] mx = matrix("columnDots x", tx.dims(), out.length);
    long[] my = matrix("columnDots y", ty.dims(), out.length);
    requireShape("columnDots y as a matrix", my, mx);
    kernels
        .get(
            Signature.of("columnDots", mx),
            k -> {
              Ops tf = k.tf();
              return List.of(tf.reduceSum(tf.math.mul(k.input(mx), k.input(mx)), tf.constant(0)));
            })
        .call()
        .in(tx)
        .in(ty)
        .run(null, out);
  }

  @Override
  public void columnAffine(Tensor x, float[] scale, float[] shift, Tensor out) {
    TfTensor tx = unwrap(x);
    TfTensor to = unwrap(out);
    int c = scale.length;
    long[] m = matrix("columnAffine x", tx.dims(), c);
    requireShape("columnAffine out as a matrix", matrix("columnAffine out", to.dims(), c), m);
    requireLength("columnAffine shift", shift, c);
    kernels
        .get(
            Signature.of("columnAffine", m),
            k -> {
              Ops tf = k.tf();
              Operand<TFloat32> scaled = tf.math.mul(k.input(m), k.vector(c));
              return List.of(tf.math.add(scaled, k.vector(c)));
            })
        .call()
        .in(tx)
        .vector(scale)
        .vector(shift)
        .run(to);
  }

  @Override
  public void columnAffine2(
      Tensor x, float[] xScale, Tensor y, float[] yScale, float[] shift, Tensor out) {
    TfTensor tx = unwrap(x);
    TfTensor ty = unwrap(y);
    TfTensor to = unwrap(out);
    int c = xScale.length;
    long[] m = matrix("columnAffine2 x", tx.dims(), c);
    requireShape("columnAffine2 y as a matrix", matrix("columnAffine2 y", ty.dims(), c), m);
    requireShape("columnAffine2 out as a matrix", matrix("columnAffine2 out", to.dims(), c), m);
    requireLength("columnAffine2 yScale", yScale, c);
    requireLength("columnAffine2 shift", shift, c);
    kernels
        .get(
            Signature.of("columnAffine2", m),
            k -> {
              Ops tf = k.tf();
              Operand<TFloat32> xPart = tf.math.mul(k.input(m), k.vector(c));
              Operand<TFloat32> yPart = tf.math.mul(k.input(m), k.vector(c));
              return List.of(tf.math.add(tf.math.add(xPart, yPart), k.vector(c)));
            })
        .call()
        .in(tx)
        .vector(xScale)
        .in(ty)
        .vector(yScale)
        .vector(shift)
        .run(to);
  }

  // ---- pooling (NHWC) --------------------------------------------------------------------

  @Override
  public void globalAvgPool(Tensor input, Tensor out) {
    TfTensor x = unwrap(input);
    TfTensor o = unwrap(out);
    long[] s = x.dims();
    requireRank("globalAvgPool input", s, 4);
    requireShape("globalAvgPool out", o.dims(), new long[] {s[0], s[3]});
    kernels
        .get(
            Signature.of("globalAvgPool", s),
            k -> List.of(k.tf().math.mean(k.input(s), k.tf().constant(new int[] {1, 2}))))
        .call()
        .in(x)
        .run(o);
  }

  @Override
  public void globalAvgPoolBackward(Tensor gradOut, Tensor gradInput) {
    TfTensor dy = unwrap(gradOut);
    TfTensor dx = unwrap(gradInput);
    long[] s = dx.dims();
    requireRank("globalAvgPoolBackward gradInput", s, 4);
    requireShape("globalAvgPoolBackward gradOut", dy.dims(), new long[] {s[0], s[3]});
    kernels
        .get(
            Signature.of("globalAvgPoolBackward", s),
            k -> {
              Ops tf = k.tf();
              Operand<TFloat32> mean =
                  tf.math.div(k.input(s[0], 1, 1, s[3]), tf.constant((float) (s[1] * s[2])));
              return List.of(tf.broadcastTo(mean, tf.constant(s)));
            })
        .call()
        .in(dy)
        .run(dx);
  }

  @Override
  public void maxPool(Tensor input, ConvGeometry geometry, Tensor out) {
    TfTensor x = unwrap(input);
    TfTensor o = unwrap(out);
    requireShape("maxPool input", x.dims(), geometry.inputShape());
    requireShape("maxPool out", o.dims(), geometry.outputShape(geometry.c()));
    kernels
        .get(
            Signature.of("maxPool", geometry),
            k -> List.of(new TfWindows(k.tf()).maxPool(k.input(geometry.inputShape()), geometry)))
        .call()
        .in(x)
        .run(o);
  }

  @Override
  public void maxPoolBackward(
      Tensor input, Tensor gradOut, ConvGeometry geometry, Tensor gradInput) {
    TfTensor x = unwrap(input);
    TfTensor dy = unwrap(gradOut);
    TfTensor dx = unwrap(gradInput);
    requireShape("maxPoolBackward input", x.dims(), geometry.inputShape());
    requireShape("maxPoolBackward gradOut", dy.dims(), geometry.outputShape(geometry.c()));
    requireShape("maxPoolBackward gradInput", dx.dims(), geometry.inputShape());
    kernels
        .get(
            Signature.of("maxPoolBackward", geometry),
            k -> {
              Operand<TFloat32> xIn = k.input(geometry.inputShape());
              Operand<TFloat32> dyIn = k.input(geometry.outputShape(geometry.c()));
              return List.of(new TfWindows(k.tf()).maxPoolBackward(xIn, dyIn, geometry));
            })
        .call()
        .in(x)
        .in(dy)
        .run(dx);
  }

  @Override
  public void avgPool(Tensor input, ConvGeometry geometry, Tensor out) {
    TfTensor x = unwrap(input);
    TfTensor o = unwrap(out);
    requireShape("avgPool input", x.dims(), geometry.inputShape());
    requireShape("avgPool out", o.dims(), geometry.outputShape(geometry.c()));
    kernels
        .get(
            Signature.of("avgPool", geometry),
            k -> List.of(new TfWindows(k.tf()).avgPool(k.input(geometry.inputShape()), geometry)))
        .call()
        .in(x)
        .run(o);
  }

  @Override
  public void avgPoolBackward(Tensor gradOut, ConvGeometry geometry, Tensor gradInput) {
    TfTensor dy = unwrap(gradOut);
    TfTensor dx = unwrap(gradInput);
    requireShape("avgPoolBackward gradOut", dy.dims(), geometry.outputShape(geometry.c()));
    requireShape("avgPoolBackward gradInput", dx.dims(), geometry.inputShape());
    kernels
        .get(
            Signature.of("avgPoolBackward", geometry),
            k ->
                List.of(
                    new TfWindows(k.tf())
                        .avgPoolBackward(k.input(geometry.outputShape(geometry.c())), geometry)))
        .call()
        .in(dy)
        .run(dx);
  }

  // ---- Transformer kernels (last dimension = features) -----------------------------------

  @Override
  public void batchedGemm(
      Tensor a,
      boolean transposeA,
      Tensor b,
      boolean transposeB,
      Tensor c,
      float alpha,
      float beta) {
    Shapes.checkBatchedGemm(
        unwrap(a).dims(), transposeA, unwrap(b).dims(), transposeB, unwrap(c).dims());
    product(
        "batchedGemm",
        a,
        transposeA,
        b,
        transposeB,
        c,
        alpha,
        beta,
        (tf, x, y) ->
            tf.train.batchMatMul(
                x, y, TFloat32.class, BatchMatMul.adjX(transposeA), BatchMatMul.adjY(transposeB)));
  }

  @Override
  public void swapMiddleAxes(Tensor x, Tensor out) {
    TfTensor tx = unwrap(x);
    TfTensor to = unwrap(out);
    long[] s = tx.dims();
    Shapes.checkSwapMiddleAxes(s, to.dims());
    kernels
        .get(
            Signature.of("swapMiddleAxes", s),
            k ->
                List.of(
                    k.tf().linalg.transpose(k.input(s), k.tf().constant(new int[] {0, 2, 1, 3}))))
        .call()
        .in(tx)
        .run(to);
  }

  @Override
  public void gatherRows(Tensor table, int[] indices, Tensor out) {
    TfTensor t = unwrap(table);
    TfTensor o = unwrap(out);
    Shapes.checkRows("gatherRows", t.dims(), indices, o.dims());
    if (o.size() == 0) {
      return;
    }
    long[] s = t.dims();
    kernels
        .get(
            Signature.of("gatherRows", s),
            k -> List.of(k.tf().gather(k.input(s), k.indices(), k.tf().constant(0))))
        .call()
        .in(t)
        .indices(indices)
        .run(o);
  }

  @Override
  public void scatterAddRows(Tensor src, int[] indices, Tensor table) {
    TfTensor sr = unwrap(src);
    TfTensor t = unwrap(table);
    Shapes.checkRows("scatterAddRows", t.dims(), indices, sr.dims());
    if (sr.size() == 0) {
      return;
    }
    if (device != null) {
      device.scatterAddRows(sr, indices, t);
      return;
    }
    try {
      TfHostKernels.scatterAddRows(sr.storage(), indices, (int) t.dims()[1], t.storage());
    } finally {
      Reference.reachabilityFence(sr);
      Reference.reachabilityFence(t);
    }
  }

  @Override
  public void multiply(Tensor a, Tensor b, Tensor out) {
    TfTensor ta = unwrap(a);
    TfTensor tb = unwrap(b);
    TfTensor to = unwrap(out);
    Shapes.checkSameSize("multiply", ta.dims(), tb.dims(), to.dims());
    long n = to.size();
    kernels
        .get(Signature.of("multiply", n), k -> List.of(k.tf().math.mul(k.input(n), k.input(n))))
        .call()
        .in(ta)
        .in(tb)
        .run(to);
  }

  @Override
  public void gelu(Tensor x, Tensor out) {
    TfTensor tx = unwrap(x);
    TfTensor to = unwrap(out);
    Shapes.checkSameSize("gelu", tx.dims(), to.dims());
    long n = to.size();
    kernels
        .get(Signature.of("gelu", n), k -> List.of(new TfTransformerMath(k.tf()).gelu(k.input(n))))
        .call()
        .in(tx)
        .run(to);
  }

  @Override
  public void geluBackward(Tensor x, Tensor gradOut, Tensor gradInput) {
    TfTensor tx = unwrap(x);
    TfTensor dy = unwrap(gradOut);
    TfTensor dx = unwrap(gradInput);
    Shapes.checkSameSize("geluBackward", tx.dims(), dy.dims(), dx.dims());
    long n = dx.size();
    kernels
        .get(
            Signature.of("geluBackward", n),
            k -> {
              Operand<TFloat32> xIn = k.input(n);
              Operand<TFloat32> dyIn = k.input(n);
              return List.of(new TfTransformerMath(k.tf()).geluBackward(xIn, dyIn));
            })
        .call()
        .in(tx)
        .in(dy)
        .run(dx);
  }

  @Override
  public void normalizeRows(Tensor x, float eps, Tensor out, Tensor invStd) {
    TfTensor tx = unwrap(x);
    TfTensor to = unwrap(out);
    TfTensor tr = unwrap(invStd);
    Shapes.checkNormalizeRows(tx.dims(), to.dims(), tr.dims());
    long[] m = rows(tx.dims());
    if (m[0] == 0) {
      return;
    }
    kernels
        .get(
            Signature.of("normalizeRows", m),
            k -> {
              Operand<TFloat32> xIn = k.input(m);
              return new TfTransformerMath(k.tf()).normalizeRows(xIn, k.scalar());
            })
        .call()
        .in(tx)
        .scalar(eps)
        .runInto(to, tr);
  }

  @Override
  public void normalizeRowsBackward(
      Tensor normalized, Tensor invStd, Tensor gradNormalized, Tensor gradInput) {
    TfTensor xh = unwrap(normalized);
    TfTensor tr = unwrap(invStd);
    TfTensor g = unwrap(gradNormalized);
    TfTensor dx = unwrap(gradInput);
    Shapes.checkNormalizeRowsBackward(xh.dims(), tr.dims(), g.dims(), dx.dims());
    long[] m = rows(xh.dims());
    if (m[0] == 0) {
      return;
    }
    kernels
        .get(
            Signature.of("normalizeRowsBackward", m),
            k -> {
              Operand<TFloat32> xhIn = k.input(m);
              Operand<TFloat32> rIn = k.input(m[0], 1);
              Operand<TFloat32> gIn = k.input(m);
              return List.of(new TfTransformerMath(k.tf()).normalizeRowsBackward(xhIn, rIn, gIn));
            })
        .call()
        .in(xh)
        .in(tr)
        .in(g)
        .run(dx);
  }

  @Override
  public void maskedSoftmax(Tensor scores, Tensor keyMask, Tensor out) {
    TfTensor s = unwrap(scores);
    TfTensor mask = unwrap(keyMask);
    TfTensor to = unwrap(out);
    long[] d = s.dims();
    Shapes.checkMaskedSoftmax(d, mask.dims(), to.dims());
    if (to.size() == 0) {
      return;
    }
    kernels
        .get(
            Signature.of("maskedSoftmax", d),
            k -> {
              Operand<TFloat32> sIn = k.input(d);
              Operand<TFloat32> maskIn = k.input(d[0], 1, 1, d[3]);
              return List.of(new TfTransformerMath(k.tf()).maskedSoftmax(sIn, maskIn));
            })
        .call()
        .in(s)
        .in(mask)
        .run(to);
  }

  @Override
  public void softmaxBackward(Tensor probs, Tensor gradOut, Tensor gradInput) {
    TfTensor p = unwrap(probs);
    TfTensor dy = unwrap(gradOut);
    TfTensor dx = unwrap(gradInput);
    Shapes.checkSameShape("softmaxBackward", p.dims(), dy.dims(), dx.dims());
    long[] m = rows(p.dims());
    if (dx.size() == 0) {
      return;
    }
    kernels
        .get(
            Signature.of("softmaxBackward", m),
            k -> {
              Operand<TFloat32> pIn = k.input(m);
              Operand<TFloat32> dyIn = k.input(m);
              return List.of(new TfTransformerMath(k.tf()).softmaxBackward(pIn, dyIn));
            })
        .call()
        .in(p)
        .in(dy)
        .run(dx);
  }

  // ---- fake quantization -----------------------------------------------------------------

  @Override
  public void fakeQuantize(Tensor x, float step, float zeroPoint, int qmin, int qmax, Tensor out) {
    TfTensor tx = unwrap(x);
    TfTensor to = unwrap(out);
    requireSameSize("fakeQuantize", tx.dims(), to.dims());
    long n = to.size();
    // Five vectorized graph ops beat one scalar Java pass here (22 against 33 ms per ResNet-20
    // step); the backward pass is the other way round (TfHostKernels).
    kernels
        .get(
            Signature.of("fakeQuantize", n),
            k -> {
              Ops tf = k.tf();
              Operand<TFloat32> s = k.scalar();
              Operand<TFloat32> inverse = k.scalar();
              Operand<TFloat32> z = k.scalar();
              Operand<TFloat32> lo = k.scalar();
              Operand<TFloat32> hi = k.scalar();
              return List.of(TfQuantizerMath.fakeQuantize(tf, k.input(n), s, inverse, z, lo, hi));
            })
        .call()
        .scalar(step)
        .scalar(1f / step)
        .scalar(zeroPoint)
        .scalar(qmin)
        .scalar(qmax)
        .in(tx)
        .run(to);
  }

  @Override
  public float[] fakeQuantizeBackward(
      Tensor x, Tensor gradOut, float step, float zeroPoint, int qmin, int qmax, Tensor gradInput) {
    TfTensor tx = unwrap(x);
    TfTensor dy = unwrap(gradOut);
    TfTensor dx = unwrap(gradInput);
    requireSameSize("fakeQuantizeBackward", tx.dims(), dy.dims(), dx.dims());
    if (device != null) {
      return device.fakeQuantizeBackward(tx, dy, step, zeroPoint, qmin, qmax, dx);
    }
    try {
      return TfHostKernels.fakeQuantizeBackward(
          tx.storage(), dy.storage(), step, zeroPoint, qmin, qmax, dx.storage());
    } finally {
      Reference.reachabilityFence(tx);
      Reference.reachabilityFence(dy);
      Reference.reachabilityFence(dx);
    }
  }

  @Override
  public float[] minMax(Tensor x) {
    TfTensor t = unwrap(x);
    long n = t.size();
    if (n == 0) {
      throw new IllegalArgumentException(
          "minMax: expected a non-empty tensor (was " + Arrays.toString(t.dims()) + ")");
    }
    float[] range = new float[2];
    kernels
        .get(
            Signature.of("minMax", n),
            k -> {
              Ops tf = k.tf();
              Operand<TFloat32> flat = k.input(n);
              return List.of(
                  tf.stack(
                      List.of(
                          tf.reduceMin(flat, tf.constant(0)), tf.reduceMax(flat, tf.constant(0)))));
            })
        .call()
        .in(t)
        .run(null, range);
    return range;
  }

  // ---- helpers ---------------------------------------------------------------------------

  /**
   * @param shape a checked shape whose last dimension {@code D} is the row length
   * @return {@code [M, D]}, the shape read as rows
   */
  private static long[] rows(long[] shape) {
    long d = shape.length == 0 ? 1 : shape[shape.length - 1];
    return new long[] {TfShapes.size(shape) / Math.max(d, 1), d};
  }

  // ---- parameters resident on the backend ------------------------------------------------

  /**
   * The tensor's native buffer, read and written in place by the parameter kernels
   * (ParameterKernels: weight fake quantization per row and its backward pass, the SGD and AdamW
   * updates), like the other host kernels (TfHostKernels): they touch only the unfrozen rows, where
   * a graph kernel would write a fresh copy of the whole parameter. None when tensors live in the
   * session: the parameter kernels run as graph kernels then ({@link TfDeviceKernels}).
   */
  @Override
  public FloatAccess hostAccess(Tensor tensor) {
    if (device != null) {
      return null;
    }
    FloatDataBuffer buffer = unwrap(tensor).storage().tensor().asRawTensor().data().asFloats();
    return new FloatAccess() {
      @Override
      public float get(long i) {
        return buffer.getFloat(i);
      }

      @Override
      public void set(long i, float value) {
        buffer.setFloat(value, i);
      }
    };
  }

  @Override
  public void fill(Tensor tensor, float value) {
    TfTensor t = unwrap(tensor);
    if (device != null) {
      device.fill(t, value);
      return;
    }
    try {
      t.storage().fill(value);
    } finally {
      Reference.reachabilityFence(t);
    }
  }

  @Override
  public void dropoutMask(Tensor out, long seed, float probability) {
    if (device == null) {
      TensorOps.super.dropoutMask(out, seed, probability);
      return;
    }
    if (out.size() > 0) {
      device.dropoutMask(unwrap(out), seed, probability);
    }
  }

  @Override
  public long firstNonFinite(Tensor tensor) {
    if (device == null) {
      return TensorOps.super.firstNonFinite(tensor);
    }
    return tensor.size() == 0 ? -1 : device.firstNonFinite(unwrap(tensor));
  }

  @Override
  public void fakeQuantizeRows(
      Tensor x, Tensor step, Tensor zeroPoint, int qmin, int qmax, Tensor out) {
    if (device == null) {
      TensorOps.super.fakeQuantizeRows(x, step, zeroPoint, qmin, qmax, out);
      return;
    }
    int rows = ParameterRows.checkGroups("fakeQuantizeRows", x, step, zeroPoint, out);
    if (x.size() > 0) {
      device.fakeQuantizeRows(
          unwrap(x), unwrap(step), unwrap(zeroPoint), rows, qmin, qmax, unwrap(out));
    }
  }

  @Override
  public void fakeQuantizeRowsBackward(
      Tensor x,
      Tensor gradOut,
      int[] rows,
      Tensor step,
      Tensor zeroPoint,
      int qmin,
      int qmax,
      double stepGradScale,
      Tensor gradInput,
      Tensor gradStep) {
    if (device == null) {
      TensorOps.super.fakeQuantizeRowsBackward(
          x, gradOut, rows, step, zeroPoint, qmin, qmax, stepGradScale, gradInput, gradStep);
      return;
    }
    int r = ParameterRows.checkBackward(x, gradOut, rows, step, zeroPoint, gradInput, gradStep);
    if ((rows != null && rows.length == 0) || x.size() == 0) {
      return;
    }
    device.fakeQuantizeRowsBackward(
        unwrap(x),
        unwrap(gradOut),
        rows,
        r,
        unwrap(step),
        unwrap(zeroPoint),
        qmin,
        qmax,
        stepGradScale,
        unwrap(gradInput),
        gradStep == null ? null : unwrap(gradStep));
  }

  @Override
  public void sgdUpdate(
      Tensor w,
      Tensor grad,
      Tensor velocity,
      int[] rows,
      double lr,
      double momentum,
      boolean nesterov,
      double weightDecay,
      float minValue) {
    if (device == null) {
      TensorOps.super.sgdUpdate(
          w, grad, velocity, rows, lr, momentum, nesterov, weightDecay, minValue);
      return;
    }
    int r = ParameterRows.checkUpdate("sgdUpdate", w, rows, grad, velocity);
    if ((rows != null && rows.length == 0) || w.size() == 0) {
      return;
    }
    device.sgd(
        unwrap(w),
        unwrap(grad),
        unwrap(velocity),
        rows,
        r,
        lr,
        momentum,
        nesterov,
        weightDecay,
        minValue);
  }

  @Override
  public void adamwUpdate(
      Tensor w,
      Tensor grad,
      Tensor m,
      Tensor v,
      int[] rows,
      int[] steps,
      double lr,
      double beta1,
      double beta2,
      double eps,
      double weightDecay,
      float minValue) {
    if (device == null) {
      TensorOps.super.adamwUpdate(
          w, grad, m, v, rows, steps, lr, beta1, beta2, eps, weightDecay, minValue);
      return;
    }
    int r = ParameterRows.checkUpdate("adamwUpdate", w, rows, grad, m, v);
    ParameterRows.checkSteps(r, rows, steps);
    if ((rows != null && rows.length == 0) || w.size() == 0) {
      return;
    }
    device.adamw(
        unwrap(w),
        unwrap(grad),
        unwrap(m),
        unwrap(v),
        rows,
        steps,
        r,
        lr,
        beta1,
        beta2,
        eps,
        weightDecay,
        minValue);
  }

  private TfTensor unwrap(Tensor t) {
    if (!(t instanceof TfTensor tt) || tt.owner() != backend) {
      throw new IllegalArgumentException("tensor " + t + " does not belong to this tf backend");
    }
    return tt;
  }

  private TfTensor adopt(org.tensorflow.Tensor value, long[] shape) {
    return new TfTensor(backend, backend.memory().adopt(value, TfShapes.size(shape)), shape);
  }
}
