package org.efqat.backend.nd4j;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.efqat.api.backend.BackendCapability;
import org.efqat.api.backend.ConvGeometry;
import org.efqat.api.backend.FloatAccess;
import org.efqat.api.backend.ParameterRows;
import org.efqat.api.backend.Shapes;
import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;
import org.efqat.api.backend.UnsupportedBackendOperationException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ND4J kernels. GEMMs write into the caller's output with {@link Nd4j#gemm} (no fresh result
 * arrays); the sparse-row weight gradient gathers the unfrozen columns of {@code dY} with {@link
 * Nd4j#pullRows}, multiplies only those ({@code |U|·N·K} multiply-adds instead of {@code
 * C_out·N·K}) and scatters the rows into {@code dW}. On libnd4j's oneDNN build, convolutions run
 * directly ({@link Nd4jConvolution}); otherwise through im2col and GEMM. Window and
 * fake-quantization kernels are Java loops over host buffers in {@link NioKernels} on the CPU
 * builds and ND4J operations in {@link DeviceOpKernels} on the CUDA build; the Transformer kernels
 * are in {@link TransformerKernels}.
 */
final class Nd4jTensorOps implements TensorOps {
  private final Nd4jBackend backend;

  /**
   * Whether the window, fake-quantization and per-channel kernels and the parameter kernels run as
   * ND4J operations ({@link DeviceOpKernels}, {@link DeviceParameterKernels}; on the CUDA build)
   * rather than Java loops over host buffers ({@link NioKernels}, {@code ParameterKernels} through
   * {@link #hostAccess}; faster on the CPU builds).
   */
  private final boolean deviceOps;

  /** Rows of ones by length, for {@link #columnSums}. */
  private final Map<Long, INDArray> ones = new ConcurrentHashMap<>();

  Nd4jTensorOps(Nd4jBackend backend, boolean deviceOps) {
    this.backend = backend;
    this.deviceOps = deviceOps;
  }

  @Override
  public Tensor fromArray(float[] data, long... shape) {
    Shapes.checkData(data.length, shape);
    INDArray a =
        data.length == 0
            ? Nd4j.create(DataType.FLOAT, shape)
            : Nd4j.create(data.clone(), shape, 'c');
    return new Nd4jTensor(backend, a);
  }

  @Override
  public Tensor zeros(long... shape) {
    Shapes.checkData((int) product(shape), shape);
    return new Nd4jTensor(backend, Nd4j.zeros(DataType.FLOAT, shape));
  }

  @Override
  public float[] toArray(Tensor tensor) {
    INDArray a = unwrap(tensor);
    if (a.isEmpty()) {
      return new float[0];
    }
    float[] out = new float[(int) a.length()];
    NioKernels.buffer(a).get(out);
    return out;
  }

  @Override
  public void copyFrom(float[] data, Tensor tensor) {
    INDArray a = unwrap(tensor);
    if (data.length != a.length()) {
      throw new IllegalArgumentException(
          "copyFrom: "
              + data.length
              + " values for a tensor of shape "
              + Arrays.toString(a.shape())
              + " ("
              + a.length()
              + " values)");
    }
    if (data.length > 0) {
      NioKernels.buffer(a).put(data);
    }
  }

  @Override
  public Tensor reshape(Tensor tensor, long... shape) {
    INDArray a = unwrap(tensor);
    if (product(shape) != a.length()) {
      throw new IllegalArgumentException(
          "cannot reshape " + Arrays.toString(a.shape()) + " to " + Arrays.toString(shape));
    }
    return new Nd4jTensor(backend, a.reshape('c', shape));
  }

  @Override
  public void gemm(
      Tensor a,
      boolean transposeA,
      Tensor b,
      boolean transposeB,
      Tensor c,
      float alpha,
      float beta) {
    INDArray aa = unwrap(a);
    INDArray bb = unwrap(b);
    INDArray cc = unwrap(c);
    Shapes.checkGemm(aa.shape(), transposeA, bb.shape(), transposeB, cc.shape());
    Nd4j.gemm(aa, bb, cc, transposeA, transposeB, alpha, beta);
  }

  @Override
  public void sparseRowWeightGradient(Tensor gradOut, Tensor input, int[] rows, Tensor gradWeight) {
    INDArray dy = unwrap(gradOut);
    INDArray x = unwrap(input);
    INDArray dw = unwrap(gradWeight);
    Shapes.checkSparseRows(dy.shape(), x.shape(), rows, dw.shape());
    if (rows.length == 0) {
      return;
    }
    if (rows.length == dw.rows()) {
      Nd4j.gemm(dy, x, dw, true, false, 1.0, 0.0);
      return;
    }
    // dY[:, U] as [N, |U|]: pullRows along dimension 0 gathers whole columns of dY.
    INDArray dyColumns = Nd4j.pullRows(dy, 0, rows);
    INDArray partial = Nd4j.gemm(dyColumns, x, true, false);
    for (int i = 0; i < rows.length; i++) {
      dw.getRow(rows[i]).assign(partial.getRow(i));
    }
    dyColumns.close();
    partial.close();
  }

  @Override
  public void im2col(Tensor input, ConvGeometry geometry, Tensor cols) {
    INDArray x = unwrap(input);
    INDArray c = unwrap(cols);
    requireShape("im2col input", x, geometry.inputShape());
    requireShape("im2col cols", c, geometry.colsShape());
    NioKernels.im2col(x, geometry, c);
  }

  @Override
  public void col2im(Tensor cols, ConvGeometry geometry, Tensor gradInput) {
    INDArray c = unwrap(cols);
    INDArray dx = unwrap(gradInput);
    requireShape("col2im cols", c, geometry.colsShape());
    requireShape("col2im gradInput", dx, geometry.inputShape());
    NioKernels.col2im(c, geometry, dx);
  }

  @Override
  public void conv2d(Tensor input, Tensor weight, float[] bias, ConvGeometry geometry, Tensor out) {
    requireDirectConvolution("conv2d");
    INDArray x = unwrap(input);
    INDArray w = unwrap(weight);
    INDArray y = unwrap(out);
    requireShape("conv2d input", x, geometry.inputShape());
    long cout = convRows("conv2d weight", w, geometry);
    requireShape("conv2d out", y, new long[] {geometry.colsShape()[0], cout});
    if (bias != null) {
      requireLength("conv2d bias", bias, (int) cout);
    }
    Nd4jConvolution.forward(x, w, bias, geometry, y);
  }

  @Override
  public void conv2dBackwardInput(
      Tensor gradOut, Tensor weight, ConvGeometry geometry, Tensor gradInput) {
    requireDirectConvolution("conv2dBackwardInput");
    INDArray dy = unwrap(gradOut);
    INDArray w = unwrap(weight);
    INDArray dx = unwrap(gradInput);
    long cout = convRows("conv2dBackwardInput weight", w, geometry);
    requireShape("conv2dBackwardInput gradOut", dy, new long[] {geometry.colsShape()[0], cout});
    requireShape("conv2dBackwardInput gradInput", dx, geometry.inputShape());
    Nd4jConvolution.backwardInput(dy, w, geometry, dx);
  }

  @Override
  public void conv2dBackwardWeightRows(
      Tensor gradOut, Tensor input, ConvGeometry geometry, int[] rows, Tensor gradWeight) {
    requireDirectConvolution("conv2dBackwardWeightRows");
    INDArray dy = unwrap(gradOut);
    INDArray x = unwrap(input);
    INDArray dw = unwrap(gradWeight);
    requireShape("conv2dBackwardWeightRows input", x, geometry.inputShape());
    convRows("conv2dBackwardWeightRows gradWeight", dw, geometry);
    Shapes.checkSparseRows(dy.shape(), geometry.colsShape(), rows, dw.shape());
    if (rows.length > 0) {
      Nd4jConvolution.backwardWeightRows(dy, x, geometry, rows, dw);
    }
  }

  /**
   * @return the rows ({@code C_out}) of a weight-shaped {@code [C_out, kh·kw·c]} array
   * @throws IllegalArgumentException naming {@code what} when it has another shape
   */
  private static long convRows(String what, INDArray w, ConvGeometry geometry) {
    long cout = w.rank() == 2 ? w.size(0) : -1;
    requireShape(what, w, new long[] {cout, geometry.colsShape()[1]});
    return cout;
  }

  private void requireDirectConvolution(String op) {
    if (!backend.capabilities().contains(BackendCapability.DIRECT_CONVOLUTION)) {
      throw new UnsupportedBackendOperationException(
          "nd4j (" + backend.device() + "; direct convolution needs the oneDNN build)", op);
    }
  }

  @Override
  public void add(Tensor a, Tensor b, Tensor out) {
    INDArray o = unwrap(out);
    requireSameSize("add", unwrap(a), unwrap(b), o);
    flat(a).addi(flat(b), flat(out));
  }

  @Override
  public void relu(Tensor x, Tensor out) {
    requireSameSize("relu", unwrap(x), unwrap(out));
    // libnd4j's relu: 0.27 ms against 1.7 ms for the Java loop on [128, 32, 32, 16]
    Nd4j.exec(
        DynamicCustomOp.builder("relu")
            .addInputs(flat(x))
            .addOutputs(flat(out))
            .addFloatingPointArguments(0.0)
            .build());
  }

  @Override
  public void reluBackward(Tensor output, Tensor gradOut, Tensor gradInput) {
    requireSameSize("reluBackward", unwrap(output), unwrap(gradOut), unwrap(gradInput));
    INDArray y = flat(output);
    INDArray dy = flat(gradOut);
    INDArray dx = flat(gradInput);
    if (!overlap(dx, dy)) {
      // The mask y > 0 written into dx (legacy scalar op Step), then dx·dy (legacy pairwise Mul):
      // 0.7-1.1 ms against 2.5-2.8 ms for libnd4j's relu_bp (oneDNN's eltwise backward) on [128,
      // 32, 32, 16], and the same zeros as TensorFlow's ReluGrad (dy·0, signed).
      Nd4j.exec(new Step(y, dx, 0.0));
      Nd4j.exec(new MulOp(dx, dy, dx));
      return;
    }
    // in place on the gradient: libnd4j's relu_bp on the output (positive exactly where the input
    // is), 2.8 ms against 7.3 ms for the Java loop on [128, 32, 32, 16]
    Nd4j.exec(
        DynamicCustomOp.builder("relu_bp")
            .addInputs(y, dy)
            .addOutputs(dx)
            .addFloatingPointArguments(0.0)
            .build());
  }

  /**
   * @param a a contiguous FP32 array
   * @param b another
   * @return whether their elements share memory
   */
  private static boolean overlap(INDArray a, INDArray b) {
    long aStart = a.data().address() + a.offset() * Float.BYTES;
    long bStart = b.data().address() + b.offset() * Float.BYTES;
    return aStart < bStart + b.length() * Float.BYTES && bStart < aStart + a.length() * Float.BYTES;
  }

  /**
   * {@code 1ᵀ·X} as an OpenBLAS GEMM with a cached row of ones: 1 ms against 35 ms for ND4J's
   * {@code sum(0)} on {@code [4096, 1536]} (the MiniLM feed-forward bias gradient), 0.2 ms against
   * 2 ms on {@code [131072, 16]}.
   */
  @Override
  public void columnSums(Tensor x, float[] out) {
    INDArray m = matrix(x, out.length);
    long rows = m.size(0);
    if (rows == 0 || out.length == 0) {
      Arrays.fill(out, 0f);
      return;
    }
    INDArray ones = this.ones.computeIfAbsent(rows, r -> Nd4j.ones(DataType.FLOAT, 1, r));
    try (INDArray sums = Nd4j.create(DataType.FLOAT, 1, out.length)) {
      Nd4j.gemm(ones, m.ordering() == 'c' ? m : m.dup('c'), sums, false, false, 1.0, 0.0);
      NioKernels.buffer(sums).get(out);
    }
  }

  @Override
  public void columnDots(Tensor x, Tensor y, float[] out) {
    INDArray mx = matrix(x, out.length);
    INDArray my = matrix(y, out.length);
    requireSameSize("columnDots", mx, my);
    if (deviceOps) {
      DeviceOpKernels.columnDots(mx, my, out);
      return;
    }
    NioKernels.columnDots(mx, my, out);
  }

  @Override
  public void columnAffine(Tensor x, float[] scale, float[] shift, Tensor out) {
    INDArray mx = matrix(x, scale.length);
    INDArray mo = matrix(out, scale.length);
    requireSameSize("columnAffine", mx, mo);
    requireLength("columnAffine shift", shift, scale.length);
    if (deviceOps) {
      DeviceOpKernels.columnAffine(mx, scale, null, null, shift, mo);
      return;
    }
    NioKernels.columnAffine(mx, scale, null, null, shift, mo);
  }

  @Override
  public void columnAffine2(
      Tensor x, float[] xScale, Tensor y, float[] yScale, float[] shift, Tensor out) {
    int c = xScale.length;
    INDArray mx = matrix(x, c);
    INDArray my = matrix(y, c);
    INDArray mo = matrix(out, c);
    requireSameSize("columnAffine2", mx, my, mo);
    requireLength("columnAffine2 yScale", yScale, c);
    requireLength("columnAffine2 shift", shift, c);
    if (deviceOps) {
      DeviceOpKernels.columnAffine(mx, xScale, my, yScale, shift, mo);
      return;
    }
    NioKernels.columnAffine(mx, xScale, my, yScale, shift, mo);
  }

  @Override
  public void globalAvgPool(Tensor input, Tensor out) {
    INDArray x = unwrap(input);
    INDArray o = unwrap(out);
    long[] s = x.shape();
    requireRank("globalAvgPool input", x, 4);
    requireShape("globalAvgPool out", o, new long[] {s[0], s[3]});
    o.assign(x.reshape('c', new long[] {s[0], s[1] * s[2], s[3]}).mean(1));
  }

  @Override
  public void globalAvgPoolBackward(Tensor gradOut, Tensor gradInput) {
    INDArray dy = unwrap(gradOut);
    INDArray dx = unwrap(gradInput);
    requireRank("globalAvgPoolBackward gradInput", dx, 4);
    long[] s = dx.shape();
    requireShape("globalAvgPoolBackward gradOut", dy, new long[] {s[0], s[3]});
    long hw = s[1] * s[2];
    INDArray scaled = dy.div(hw).reshape('c', new long[] {s[0], 1, s[3]});
    dx.reshape('c', new long[] {s[0], hw, s[3]}).assign(scaled.broadcast(s[0], hw, s[3]));
    scaled.close();
  }

  @Override
  public void maxPool(Tensor input, ConvGeometry geometry, Tensor out) {
    INDArray x = unwrap(input);
    INDArray o = unwrap(out);
    requireShape("maxPool input", x, geometry.inputShape());
    requireShape("maxPool out", o, geometry.outputShape(geometry.c()));
    if (deviceOps) {
      DeviceOpKernels.maxPool(x, geometry, o);
      return;
    }
    NioKernels.maxPool(x, geometry, o, null);
  }

  @Override
  public void maxPoolBackward(
      Tensor input, Tensor gradOut, ConvGeometry geometry, Tensor gradInput) {
    INDArray x = unwrap(input);
    INDArray dy = unwrap(gradOut);
    INDArray dx = unwrap(gradInput);
    long[] outShape = geometry.outputShape(geometry.c());
    requireShape("maxPoolBackward input", x, geometry.inputShape());
    requireShape("maxPoolBackward gradOut", dy, outShape);
    requireShape("maxPoolBackward gradInput", dx, geometry.inputShape());
    if (deviceOps) {
      DeviceOpKernels.maxPoolBackward(x, dy, geometry, dx);
      return;
    }
    int[] argmax = new int[(int) dy.length()];
    INDArray scratch = Nd4j.create(DataType.FLOAT, outShape);
    NioKernels.maxPool(x, geometry, scratch, argmax);
    scratch.close();
    float[] g = toArray(gradOut);
    float[] acc = new float[(int) dx.length()];
    for (int o = 0; o < argmax.length; o++) {
      acc[argmax[o]] += g[o];
    }
    NioKernels.buffer(dx).put(acc);
  }

  @Override
  public void avgPool(Tensor input, ConvGeometry geometry, Tensor out) {
    INDArray x = unwrap(input);
    INDArray o = unwrap(out);
    requireShape("avgPool input", x, geometry.inputShape());
    requireShape("avgPool out", o, geometry.outputShape(geometry.c()));
    if (deviceOps) {
      DeviceOpKernels.avgPool(x, geometry, o);
      return;
    }
    NioKernels.avgPool(x, geometry, o);
  }

  @Override
  public void avgPoolBackward(Tensor gradOut, ConvGeometry geometry, Tensor gradInput) {
    INDArray dy = unwrap(gradOut);
    INDArray dx = unwrap(gradInput);
    requireShape("avgPoolBackward gradOut", dy, geometry.outputShape(geometry.c()));
    requireShape("avgPoolBackward gradInput", dx, geometry.inputShape());
    if (deviceOps) {
      DeviceOpKernels.avgPoolBackward(dy, geometry, dx);
      return;
    }
    NioKernels.avgPoolBackward(dy, geometry, dx);
  }

  @Override
  public void batchedGemm(
      Tensor a,
      boolean transposeA,
      Tensor b,
      boolean transposeB,
      Tensor c,
      float alpha,
      float beta) {
    TransformerKernels.batchedGemm(
        unwrap(a), transposeA, unwrap(b), transposeB, unwrap(c), alpha, beta);
  }

  @Override
  public void swapMiddleAxes(Tensor x, Tensor out) {
    TransformerKernels.swapMiddleAxes(unwrap(x), unwrap(out));
  }

  @Override
  public void gatherRows(Tensor table, int[] indices, Tensor out) {
    TransformerKernels.gatherRows(unwrap(table), indices, unwrap(out));
  }

  @Override
  public void scatterAddRows(Tensor src, int[] indices, Tensor table) {
    TransformerKernels.scatterAddRows(unwrap(src), indices, unwrap(table));
  }

  @Override
  public void multiply(Tensor a, Tensor b, Tensor out) {
    Shapes.checkSameSize("multiply", a.shape(), b.shape(), out.shape());
    flat(a).muli(flat(b), flat(out));
  }

  @Override
  public void gelu(Tensor x, Tensor out) {
    TransformerKernels.gelu(unwrap(x), unwrap(out));
  }

  @Override
  public void geluBackward(Tensor x, Tensor gradOut, Tensor gradInput) {
    TransformerKernels.geluBackward(unwrap(x), unwrap(gradOut), unwrap(gradInput));
  }

  @Override
  public void normalizeRows(Tensor x, float eps, Tensor out, Tensor invStd) {
    TransformerKernels.normalizeRows(unwrap(x), eps, unwrap(out), unwrap(invStd));
  }

  @Override
  public void normalizeRowsBackward(
      Tensor normalized, Tensor invStd, Tensor gradNormalized, Tensor gradInput) {
    TransformerKernels.normalizeRowsBackward(
        unwrap(normalized), unwrap(invStd), unwrap(gradNormalized), unwrap(gradInput));
  }

  @Override
  public void maskedSoftmax(Tensor scores, Tensor keyMask, Tensor out) {
    TransformerKernels.maskedSoftmax(unwrap(scores), unwrap(keyMask), unwrap(out));
  }

  @Override
  public void softmaxBackward(Tensor probs, Tensor gradOut, Tensor gradInput) {
    TransformerKernels.softmaxBackward(unwrap(probs), unwrap(gradOut), unwrap(gradInput));
  }

  @Override
  public void fakeQuantize(Tensor x, float step, float zeroPoint, int qmin, int qmax, Tensor out) {
    requireSameSize("fakeQuantize", unwrap(x), unwrap(out));
    if (deviceOps) {
      DeviceOpKernels.fakeQuantize(unwrap(x), step, zeroPoint, qmin, qmax, unwrap(out));
      return;
    }
    NioKernels.fakeQuantize(unwrap(x), step, zeroPoint, qmin, qmax, unwrap(out));
  }

  @Override
  public float[] fakeQuantizeBackward(
      Tensor x, Tensor gradOut, float step, float zeroPoint, int qmin, int qmax, Tensor gradInput) {
    requireSameSize("fakeQuantizeBackward", unwrap(x), unwrap(gradOut), unwrap(gradInput));
    if (deviceOps) {
      return DeviceOpKernels.fakeQuantizeBackward(
          unwrap(x), unwrap(gradOut), step, zeroPoint, qmin, qmax, unwrap(gradInput));
    }
    return NioKernels.fakeQuantizeBackward(
        unwrap(x), unwrap(gradOut), step, zeroPoint, qmin, qmax, unwrap(gradInput));
  }

  @Override
  public float[] minMax(Tensor x) {
    INDArray a = unwrap(x);
    if (a.isEmpty()) {
      throw new IllegalArgumentException("minMax of an empty tensor " + Arrays.toString(a.shape()));
    }
    return new float[] {a.minNumber().floatValue(), a.maxNumber().floatValue()};
  }

  // ---- helpers -------------------------------------------------------------------------

  private INDArray unwrap(Tensor t) {
    if (!(t instanceof Nd4jTensor n) || n.owner() != backend) {
      throw new IllegalArgumentException("tensor " + t + " does not belong to this nd4j backend");
    }
    return n.array();
  }

  /**
   * A parameter-kernel operand as {@code [rows, size/rows]}, a view of its C-ordered contiguous
   * storage (resident parameters, gradients and optimizer state are; the kernels write through it).
   */
  private INDArray rowsOf(Tensor t, int rows) {
    INDArray a = unwrap(t);
    if (!NioKernels.isContiguous(a)) {
      throw new IllegalStateException(
          "parameter kernel operand " + Arrays.toString(a.shape()) + " is not contiguous");
    }
    return a.reshape('c', new long[] {rows, a.length() / rows});
  }

  private INDArray flat(Tensor t) {
    INDArray a = unwrap(t);
    return a.reshape('c', new long[] {a.length()});
  }

  /** The tensor as {@code [M, C]}, C its last dimension. */
  private INDArray matrix(Tensor t, int columns) {
    INDArray a = unwrap(t);
    long[] s = a.shape();
    if (s.length < 1 || s[s.length - 1] != columns) {
      throw new IllegalArgumentException(
          "expected a tensor with "
              + columns
              + " channels in its last dimension, got shape "
              + Arrays.toString(s));
    }
    return s.length == 2 ? a : a.reshape('c', new long[] {a.length() / columns, columns});
  }

  private static void requireShape(String what, INDArray a, long[] expected) {
    if (!Arrays.equals(a.shape(), expected)) {
      throw new IllegalArgumentException(
          what
              + " has shape "
              + Arrays.toString(a.shape())
              + ", expected "
              + Arrays.toString(expected));
    }
  }

  private static void requireRank(String what, INDArray a, int rank) {
    if (a.rank() != rank) {
      throw new IllegalArgumentException(
          what + " has shape " + Arrays.toString(a.shape()) + ", expected rank " + rank);
    }
  }

  private static void requireLength(String what, float[] v, int length) {
    if (v.length != length) {
      throw new IllegalArgumentException(what + " has " + v.length + " values, expected " + length);
    }
  }

  private static void requireSameSize(String what, INDArray... arrays) {
    for (INDArray a : arrays) {
      if (a.length() != arrays[0].length()) {
        StringBuilder sb = new StringBuilder(what).append(": sizes differ:");
        for (INDArray b : arrays) {
          sb.append(' ').append(Arrays.toString(b.shape()));
        }
        throw new IllegalArgumentException(sb.toString());
      }
    }
  }

  private static long product(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  // ---- parameters resident on the backend ------------------------------------------------

  /**
   * The array's host buffer, read and written in place by the parameter kernels (ParameterKernels:
   * weight fake quantization per row and its backward pass, the SGD and AdamW updates), which touch
   * only the unfrozen rows; {@code null} for a non-contiguous view (the kernels then copy).
   */
  @Override
  public FloatAccess hostAccess(Tensor tensor) {
    INDArray a = unwrap(tensor);
    if (!NioKernels.isContiguous(a)) {
      return null;
    }
    return FloatAccess.of(NioKernels.buffer(a));
  }

  @Override
  public void fill(Tensor tensor, float value) {
    unwrap(tensor).assign(value);
  }

  @Override
  public void dropoutMask(Tensor out, long seed, float probability) {
    if (!deviceOps) {
      TensorOps.super.dropoutMask(out, seed, probability);
      return;
    }
    DeviceParameterKernels.dropoutMask(unwrap(out), seed, probability);
  }

  @Override
  public long firstNonFinite(Tensor tensor) {
    if (!deviceOps) {
      return TensorOps.super.firstNonFinite(tensor);
    }
    return tensor.size() == 0 ? -1 : DeviceParameterKernels.firstNonFinite(unwrap(tensor));
  }

  @Override
  public void fakeQuantizeRows(
      Tensor x, Tensor step, Tensor zeroPoint, int qmin, int qmax, Tensor out) {
    if (!deviceOps) {
      TensorOps.super.fakeQuantizeRows(x, step, zeroPoint, qmin, qmax, out);
      return;
    }
    int rows = ParameterRows.checkGroups("fakeQuantizeRows", x, step, zeroPoint, out);
    DeviceParameterKernels.fakeQuantizeRows(
        rowsOf(x, rows),
        unwrap(step).reshape('c', new long[] {rows}),
        unwrap(zeroPoint).reshape('c', new long[] {rows}),
        qmin,
        qmax,
        rowsOf(out, rows));
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
    if (!deviceOps) {
      TensorOps.super.fakeQuantizeRowsBackward(
          x, gradOut, rows, step, zeroPoint, qmin, qmax, stepGradScale, gradInput, gradStep);
      return;
    }
    int r = ParameterRows.checkBackward(x, gradOut, rows, step, zeroPoint, gradInput, gradStep);
    if (rows != null && rows.length == 0) {
      return;
    }
    DeviceParameterKernels.fakeQuantizeRowsBackward(
        rowsOf(x, r),
        rowsOf(gradOut, rows == null ? r : rows.length),
        rows,
        rowsOf(step, r),
        rowsOf(zeroPoint, r),
        qmin,
        qmax,
        stepGradScale,
        rowsOf(gradInput, r),
        gradStep == null ? null : rowsOf(gradStep, r));
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
    if (!deviceOps) {
      TensorOps.super.sgdUpdate(
          w, grad, velocity, rows, lr, momentum, nesterov, weightDecay, minValue);
      return;
    }
    int r = ParameterRows.checkUpdate("sgdUpdate", w, rows, grad, velocity);
    if (rows != null && rows.length == 0) {
      return;
    }
    DeviceParameterKernels.sgd(
        rowsOf(w, r),
        rowsOf(grad, r),
        rowsOf(velocity, r),
        rows,
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
    if (!deviceOps) {
      TensorOps.super.adamwUpdate(
          w, grad, m, v, rows, steps, lr, beta1, beta2, eps, weightDecay, minValue);
      return;
    }
    int r = ParameterRows.checkUpdate("adamwUpdate", w, rows, grad, m, v);
    ParameterRows.checkSteps(r, rows, steps);
    if (rows != null && rows.length == 0) {
      return;
    }
    DeviceParameterKernels.adamw(
        rowsOf(w, r),
        rowsOf(grad, r),
        rowsOf(m, r),
        rowsOf(v, r),
        rows,
        steps,
        lr,
        beta1,
        beta2,
        eps,
        weightDecay,
        minValue);
  }
}
