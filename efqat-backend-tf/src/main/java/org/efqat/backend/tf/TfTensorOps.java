package org.efqat.backend.tf;

import static org.efqat.backend.tf.TfShapes.matrix;
import static org.efqat.backend.tf.TfShapes.requireDims;
import static org.efqat.backend.tf.TfShapes.requireLength;
import static org.efqat.backend.tf.TfShapes.requireRank;
import static org.efqat.backend.tf.TfShapes.requireReshape;
import static org.efqat.backend.tf.TfShapes.requireSameSize;
import static org.efqat.backend.tf.TfShapes.requireShape;

import java.util.Arrays;
import java.util.List;
import org.efqat.api.backend.ConvGeometry;
import org.efqat.api.backend.Shapes;
import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The TensorFlow kernels, as eager ops. Every output is a new eager operand that replaces the
 * output tensor's values (see {@link TfTensor}), so an output may alias an input.
 *
 * <ul>
 *   <li>The sparse-row weight gradient gathers the unfrozen columns of {@code dY} ({@code
 *       Gather}), multiplies only those ({@code MatMul} with {@code transpose_a}) and writes the
 *       rows into {@code dW} with {@code TensorScatterNdUpdate}.
 *   <li>Window kernels (im2col, col2im, max pooling) are in {@link TfWindows}.
 *   <li>Element-wise: {@code Add}, {@code Relu}, {@code ReluGrad}; per-channel: {@code Sum} over
 *       the rows of {@code [M, C]} and broadcast {@code Mul}/{@code Add} with {@code [C]}
 *       constants; global average pooling: {@code Mean} over {@code h, w} and {@code
 *       BroadcastTo}.
 *   <li>Fake quantization: {@code Div}, {@code Rint} (half to even), {@code ClipByValue}; its
 *       backward masks with {@code SelectV2} and reduces the two LSQ sums with {@code Sum}.
 * </ul>
 */
final class TfTensorOps implements TensorOps {
  private final TfBackend backend;
  private final Ops tf;
  private final TfWindows windows;

  TfTensorOps(TfBackend backend, Ops tf) {
    this.backend = backend;
    this.tf = tf;
    this.windows = new TfWindows(tf);
  }

  // ---- creation and transfer -------------------------------------------------------------

  @Override
  public Tensor fromArray(float[] data, long... shape) {
    return new TfTensor(backend, constant(data, shape), shape);
  }

  @Override
  public Tensor zeros(long... shape) {
    requireDims(shape);
    return new TfTensor(backend, tf.zeros(tf.constant(shape), TFloat32.class), shape);
  }

  @Override
  public float[] toArray(Tensor tensor) {
    TfTensor t = unwrap(tensor);
    float[] out = new float[(int) t.size()];
    if (out.length > 0) {
      read(t).asTensor().copyTo(DataBuffers.of(out, false, false));
    }
    return out;
  }

  @Override
  public void copyFrom(float[] data, Tensor tensor) {
    TfTensor t = unwrap(tensor);
    t.replace(constant(data, t.dims()));
  }

  @Override
  public Tensor reshape(Tensor tensor, long... shape) {
    TfTensor t = unwrap(tensor);
    requireReshape(t.dims(), shape);
    return t.view(shape);
  }

  // ---- matrix products -------------------------------------------------------------------

  @Override
  public void gemm(Tensor a, boolean transposeA, Tensor b, boolean transposeB, Tensor c,
      float alpha, float beta) {
    TfTensor ta = unwrap(a);
    TfTensor tb = unwrap(b);
    TfTensor tc = unwrap(c);
    Shapes.checkGemm(ta.shape(), transposeA, tb.shape(), transposeB, tc.shape());
    Operand<TFloat32> product = tf.linalg.matMul(read(ta), read(tb),
        MatMul.transposeA(transposeA), MatMul.transposeB(transposeB));
    if (alpha != 1f) {
      product = tf.math.mul(product, tf.constant(alpha));
    }
    if (beta != 0f) {
      product = tf.math.add(product, tf.math.mul(read(tc), tf.constant(beta)));
    }
    tc.replace(product);
  }

  @Override
  public void sparseRowWeightGradient(Tensor gradOut, Tensor input, int[] rows, Tensor gradWeight) {
    TfTensor dy = unwrap(gradOut);
    TfTensor x = unwrap(input);
    TfTensor dw = unwrap(gradWeight);
    Shapes.checkSparseRows(dy.shape(), x.shape(), rows, dw.shape());
    if (rows.length == 0) {
      return;
    }
    if (rows.length == dw.dims()[0]) {
      dw.replace(tf.linalg.matMul(read(dy), read(x), MatMul.transposeA(true)));
      return;
    }
    Operand<TInt32> index = tf.constant(rows);
    Operand<TFloat32> dyColumns = tf.gather(read(dy), index, tf.constant(1)); // [N, |U|]
    Operand<TFloat32> partial =
        tf.linalg.matMul(dyColumns, read(x), MatMul.transposeA(true)); // [|U|, K]
    Operand<TInt32> scatterIndex = tf.expandDims(index, tf.constant(1)); // [|U|, 1]
    dw.replace(tf.tensorScatterNdUpdate(read(dw), scatterIndex, partial));
  }

  // ---- convolution helpers (NHWC) --------------------------------------------------------

  @Override
  public void im2col(Tensor input, ConvGeometry geometry, Tensor cols) {
    TfTensor x = unwrap(input);
    TfTensor c = unwrap(cols);
    requireShape("im2col input", x.dims(), geometry.inputShape());
    requireShape("im2col cols", c.dims(), geometry.colsShape());
    c.replace(windows.im2col(read(x), geometry));
  }

  @Override
  public void col2im(Tensor cols, ConvGeometry geometry, Tensor gradInput) {
    TfTensor c = unwrap(cols);
    TfTensor dx = unwrap(gradInput);
    requireShape("col2im cols", c.dims(), geometry.colsShape());
    requireShape("col2im gradInput", dx.dims(), geometry.inputShape());
    dx.replace(windows.col2im(read(c), geometry));
  }

  // ---- element-wise ----------------------------------------------------------------------

  @Override
  public void add(Tensor a, Tensor b, Tensor out) {
    TfTensor ta = unwrap(a);
    TfTensor tb = unwrap(b);
    TfTensor to = unwrap(out);
    requireSameSize("add", ta.dims(), tb.dims(), to.dims());
    to.replace(tf.math.add(read(ta, to.dims()), read(tb, to.dims())));
  }

  @Override
  public void relu(Tensor x, Tensor out) {
    TfTensor tx = unwrap(x);
    TfTensor to = unwrap(out);
    requireSameSize("relu", tx.dims(), to.dims());
    to.replace(tf.nn.relu(read(tx, to.dims())));
  }

  @Override
  public void reluBackward(Tensor output, Tensor gradOut, Tensor gradInput) {
    TfTensor y = unwrap(output);
    TfTensor dy = unwrap(gradOut);
    TfTensor dx = unwrap(gradInput);
    requireSameSize("reluBackward", y.dims(), dy.dims(), dx.dims());
    dx.replace(tf.nn.reluGrad(read(dy, dx.dims()), read(y, dx.dims())));
  }

  // ---- per-channel -----------------------------------------------------------------------

  @Override
  public void columnSums(Tensor x, float[] out) {
    TfTensor tx = unwrap(x);
    Operand<TFloat32> m = read(tx, matrix("columnSums x", tx.dims(), out.length));
    download(tf.reduceSum(m, tf.constant(0)), out);
  }

  @Override
  public void columnDots(Tensor x, Tensor y, float[] out) {
    TfTensor tx = unwrap(x);
    TfTensor ty = unwrap(y);
    long[] mx = matrix("columnDots x", tx.dims(), out.length);
    long[] my = matrix("columnDots y", ty.dims(), out.length);
    requireShape("columnDots y as a matrix", my, mx);
    Operand<TFloat32> product = tf.math.mul(read(tx, mx), read(ty, mx));
    download(tf.reduceSum(product, tf.constant(0)), out);
  }

  @Override
  public void columnAffine(Tensor x, float[] scale, float[] shift, Tensor out) {
    TfTensor tx = unwrap(x);
    TfTensor to = unwrap(out);
    long[] m = matrix("columnAffine x", tx.dims(), scale.length);
    requireShape("columnAffine out as a matrix", matrix("columnAffine out", to.dims(),
        scale.length), m);
    requireLength("columnAffine shift", shift, scale.length);
    Operand<TFloat32> scaled = tf.math.mul(read(tx, m), tf.constant(scale));
    to.replace(reshaped(tf.math.add(scaled, tf.constant(shift)), m, to.dims()));
  }

  @Override
  public void columnAffine2(Tensor x, float[] xScale, Tensor y, float[] yScale, float[] shift,
      Tensor out) {
    TfTensor tx = unwrap(x);
    TfTensor ty = unwrap(y);
    TfTensor to = unwrap(out);
    int c = xScale.length;
    long[] m = matrix("columnAffine2 x", tx.dims(), c);
    requireShape("columnAffine2 y as a matrix", matrix("columnAffine2 y", ty.dims(), c), m);
    requireShape("columnAffine2 out as a matrix", matrix("columnAffine2 out", to.dims(), c), m);
    requireLength("columnAffine2 yScale", yScale, c);
    requireLength("columnAffine2 shift", shift, c);
    Operand<TFloat32> xPart = tf.math.mul(read(tx, m), tf.constant(xScale));
    Operand<TFloat32> yPart = tf.math.mul(read(ty, m), tf.constant(yScale));
    Operand<TFloat32> sum = tf.math.add(tf.math.add(xPart, yPart), tf.constant(shift));
    to.replace(reshaped(sum, m, to.dims()));
  }

  // ---- pooling (NHWC) --------------------------------------------------------------------

  @Override
  public void globalAvgPool(Tensor input, Tensor out) {
    TfTensor x = unwrap(input);
    TfTensor o = unwrap(out);
    long[] s = x.dims();
    requireRank("globalAvgPool input", s, 4);
    requireShape("globalAvgPool out", o.dims(), new long[] {s[0], s[3]});
    o.replace(tf.math.mean(read(x), tf.constant(new int[] {1, 2})));
  }

  @Override
  public void globalAvgPoolBackward(Tensor gradOut, Tensor gradInput) {
    TfTensor dy = unwrap(gradOut);
    TfTensor dx = unwrap(gradInput);
    long[] s = dx.dims();
    requireRank("globalAvgPoolBackward gradInput", s, 4);
    requireShape("globalAvgPoolBackward gradOut", dy.dims(), new long[] {s[0], s[3]});
    Operand<TFloat32> mean = tf.math.div(read(dy, new long[] {s[0], 1, 1, s[3]}),
        tf.constant((float) (s[1] * s[2])));
    dx.replace(tf.broadcastTo(mean, tf.constant(s)));
  }

  @Override
  public void maxPool(Tensor input, ConvGeometry geometry, Tensor out) {
    TfTensor x = unwrap(input);
    TfTensor o = unwrap(out);
    requireShape("maxPool input", x.dims(), geometry.inputShape());
    requireShape("maxPool out", o.dims(), geometry.outputShape(geometry.c()));
    o.replace(windows.maxPool(read(x), geometry));
  }

  @Override
  public void maxPoolBackward(Tensor input, Tensor gradOut, ConvGeometry geometry,
      Tensor gradInput) {
    TfTensor x = unwrap(input);
    TfTensor dy = unwrap(gradOut);
    TfTensor dx = unwrap(gradInput);
    requireShape("maxPoolBackward input", x.dims(), geometry.inputShape());
    requireShape("maxPoolBackward gradOut", dy.dims(), geometry.outputShape(geometry.c()));
    requireShape("maxPoolBackward gradInput", dx.dims(), geometry.inputShape());
    dx.replace(windows.maxPoolBackward(read(x), read(dy), geometry));
  }

  @Override
  public void avgPool(Tensor input, ConvGeometry geometry, Tensor out) {
    TfTensor x = unwrap(input);
    TfTensor o = unwrap(out);
    requireShape("avgPool input", x.dims(), geometry.inputShape());
    requireShape("avgPool out", o.dims(), geometry.outputShape(geometry.c()));
    o.replace(windows.avgPool(read(x), geometry));
  }

  @Override
  public void avgPoolBackward(Tensor gradOut, ConvGeometry geometry, Tensor gradInput) {
    TfTensor dy = unwrap(gradOut);
    TfTensor dx = unwrap(gradInput);
    requireShape("avgPoolBackward gradOut", dy.dims(), geometry.outputShape(geometry.c()));
    requireShape("avgPoolBackward gradInput", dx.dims(), geometry.inputShape());
    dx.replace(windows.avgPoolBackward(read(dy), geometry));
  }

  // ---- fake quantization -----------------------------------------------------------------

  @Override
  public void fakeQuantize(Tensor x, float step, float zeroPoint, int qmin, int qmax, Tensor out) {
    TfTensor tx = unwrap(x);
    TfTensor to = unwrap(out);
    requireSameSize("fakeQuantize", tx.dims(), to.dims());
    Operand<TFloat32> q = levels(grid(read(tx, to.dims()), step, zeroPoint), qmin, qmax);
    to.replace(tf.math.mul(tf.math.sub(q, tf.constant(zeroPoint)), tf.constant(step)));
  }

  @Override
  public float[] fakeQuantizeBackward(Tensor x, Tensor gradOut, float step, float zeroPoint,
      int qmin, int qmax, Tensor gradInput) {
    TfTensor tx = unwrap(x);
    TfTensor dy = unwrap(gradOut);
    TfTensor dx = unwrap(gradInput);
    requireSameSize("fakeQuantizeBackward", tx.dims(), dy.dims(), dx.dims());
    long[] shape = dx.dims();
    Operand<TFloat32> v = grid(read(tx, shape), step, zeroPoint);
    Operand<TFloat32> g = read(dy, shape);
    Operand<TBool> inside = tf.math.logicalAnd(
        tf.math.greaterEqual(v, tf.constant((float) qmin)),
        tf.math.lessEqual(v, tf.constant((float) qmax)));
    Operand<TFloat32> q = levels(v, qmin, qmax);
    // ∂x̂/∂s without the factor s: rint(v) − v inside the grid, q − z (q clamped) outside.
    Operand<TFloat32> dStep = tf.select(inside, tf.math.sub(q, v),
        tf.math.sub(q, tf.constant(zeroPoint)));
    Operand<TFloat32> gradIn = tf.select(inside, g, tf.constant(0f));
    Operand<TFloat32> stepSum = sumAll(tf.math.mul(g, dStep));
    Operand<TFloat32> outsideSum = sumAll(tf.math.sub(g, gradIn));
    Operand<TFloat32> zeroSum = tf.math.mul(outsideSum, tf.constant(-step));
    float[] sums = new float[2];
    download(tf.stack(List.of(stepSum, zeroSum)), sums);
    dx.replace(gradIn);
    return sums;
  }

  @Override
  public float[] minMax(Tensor x) {
    TfTensor t = unwrap(x);
    if (t.size() == 0) {
      throw new IllegalArgumentException(
          "minMax: expected a non-empty tensor (was " + Arrays.toString(t.dims()) + ")");
    }
    Operand<TFloat32> flat = read(t, new long[] {t.size()});
    float[] range = new float[2];
    download(tf.stack(List.of(tf.reduceMin(flat, tf.constant(0)),
        tf.reduceMax(flat, tf.constant(0)))), range);
    return range;
  }

  // ---- helpers ---------------------------------------------------------------------------

  private TfTensor unwrap(Tensor t) {
    if (!(t instanceof TfTensor tt) || tt.owner() != backend) {
      throw new IllegalArgumentException("tensor " + t + " does not belong to this tf backend");
    }
    return tt;
  }

  private Operand<TFloat32> constant(float[] data, long[] shape) {
    Shapes.checkData(data.length, shape);
    return tf.constant(Shape.of(shape), DataBuffers.of(data, true, true));
  }

  /** @return the tensor's current values in its own shape */
  private Operand<TFloat32> read(TfTensor t) {
    return t.value(tf);
  }

  /** @return the tensor's current values reshaped to {@code shape} (same size, checked) */
  private Operand<TFloat32> read(TfTensor t, long[] shape) {
    return t.value(tf, shape);
  }

  private Operand<TFloat32> reshaped(Operand<TFloat32> value, long[] from, long[] to) {
    return Arrays.equals(from, to) ? value : tf.reshape(value, tf.constant(to));
  }

  /** @return {@code v = x/s + z}, the values in grid units */
  private Operand<TFloat32> grid(Operand<TFloat32> x, float step, float zeroPoint) {
    return tf.math.add(tf.math.div(x, tf.constant(step)), tf.constant(zeroPoint));
  }

  /** @return {@code clamp(rint(v), qmin, qmax)}, rounding half to even */
  private Operand<TFloat32> levels(Operand<TFloat32> v, int qmin, int qmax) {
    return tf.clipByValue(tf.math.rint(v), tf.constant((float) qmin), tf.constant((float) qmax));
  }

  private Operand<TFloat32> sumAll(Operand<TFloat32> x) {
    return tf.reduceSum(tf.reshape(x, tf.constant(new long[] {-1})), tf.constant(0));
  }

  /** Copies a small result (a per-channel vector or a few scalars) into {@code out}. */
  private static void download(Operand<TFloat32> value, float[] out) {
    if (out.length > 0) {
      value.asTensor().copyTo(DataBuffers.of(out, false, false));
    }
  }
}
