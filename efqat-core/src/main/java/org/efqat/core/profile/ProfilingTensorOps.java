package org.efqat.core.profile;

import org.efqat.api.backend.ConvGeometry;
import org.efqat.api.backend.FloatAccess;
import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;

/**
 * Times every call of a delegate {@link TensorOps} into a {@link KernelProfile} and counts the
 * bytes of the heap arrays each call takes or returns.
 */
final class ProfilingTensorOps implements TensorOps {
  private final TensorOps delegate;
  private final KernelProfile profile;

  ProfilingTensorOps(TensorOps delegate, KernelProfile profile) {
    this.delegate = delegate;
    this.profile = profile;
  }

  @Override
  public Tensor reshape(Tensor tensor, long... shape) {
    return delegate.reshape(tensor, shape);
  }

  @Override
  public Tensor fromArray(float[] data, long... shape) {
    long t0 = System.nanoTime();
    Tensor result = delegate.fromArray(data, shape);
    profile.transferred(4L * data.length, 0);
    profile.record(Kernel.FROM_ARRAY, System.nanoTime() - t0);
    return result;
  }

  @Override
  public Tensor zeros(long... shape) {
    long t0 = System.nanoTime();
    Tensor result = delegate.zeros(shape);
    profile.record(Kernel.ZEROS, System.nanoTime() - t0);
    return result;
  }

  @Override
  public float[] toArray(Tensor tensor) {
    long t0 = System.nanoTime();
    float[] result = delegate.toArray(tensor);
    profile.transferred(0, 4L * result.length);
    profile.record(Kernel.TO_ARRAY, System.nanoTime() - t0);
    return result;
  }

  @Override
  public void copyFrom(float[] data, Tensor tensor) {
    long t0 = System.nanoTime();
    delegate.copyFrom(data, tensor);
    profile.transferred(4L * data.length, 0);
    profile.record(Kernel.COPY_FROM, System.nanoTime() - t0);
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
    long t0 = System.nanoTime();
    delegate.gemm(a, transposeA, b, transposeB, c, alpha, beta);
    profile.record(Kernel.GEMM, System.nanoTime() - t0);
  }

  @Override
  public void sparseRowWeightGradient(Tensor gradOut, Tensor input, int[] rows, Tensor gradWeight) {
    long t0 = System.nanoTime();
    delegate.sparseRowWeightGradient(gradOut, input, rows, gradWeight);
    profile.transferred(4L * rows.length, 0);
    profile.record(Kernel.SPARSE_ROW_WEIGHT_GRADIENT, System.nanoTime() - t0);
  }

  @Override
  public void conv2d(Tensor input, Tensor weight, float[] bias, ConvGeometry geometry, Tensor out) {
    long t0 = System.nanoTime();
    delegate.conv2d(input, weight, bias, geometry, out);
    profile.transferred(bias == null ? 0 : 4L * bias.length, 0);
    profile.record(Kernel.CONV2D, System.nanoTime() - t0);
  }

  @Override
  public void conv2dBackwardInput(
      Tensor gradOut, Tensor weight, ConvGeometry geometry, Tensor gradInput) {
    long t0 = System.nanoTime();
    delegate.conv2dBackwardInput(gradOut, weight, geometry, gradInput);
    profile.record(Kernel.CONV2D_BACKWARD_INPUT, System.nanoTime() - t0);
  }

  @Override
  public void conv2dBackwardWeightRows(
      Tensor gradOut, Tensor input, ConvGeometry geometry, int[] rows, Tensor gradWeight) {
    long t0 = System.nanoTime();
    delegate.conv2dBackwardWeightRows(gradOut, input, geometry, rows, gradWeight);
    profile.transferred(4L * rows.length, 0);
    profile.record(Kernel.CONV2D_BACKWARD_WEIGHT_ROWS, System.nanoTime() - t0);
  }

  @Override
  public void im2col(Tensor input, ConvGeometry geometry, Tensor cols) {
    long t0 = System.nanoTime();
    delegate.im2col(input, geometry, cols);
    profile.record(Kernel.IM2COL, System.nanoTime() - t0);
  }

  @Override
  public void col2im(Tensor cols, ConvGeometry geometry, Tensor gradInput) {
    long t0 = System.nanoTime();
    delegate.col2im(cols, geometry, gradInput);
    profile.record(Kernel.COL2IM, System.nanoTime() - t0);
  }

  @Override
  public void add(Tensor a, Tensor b, Tensor out) {
    long t0 = System.nanoTime();
    delegate.add(a, b, out);
    profile.record(Kernel.ADD, System.nanoTime() - t0);
  }

  @Override
  public void relu(Tensor x, Tensor out) {
    long t0 = System.nanoTime();
    delegate.relu(x, out);
    profile.record(Kernel.RELU, System.nanoTime() - t0);
  }

  @Override
  public void reluBackward(Tensor output, Tensor gradOut, Tensor gradInput) {
    long t0 = System.nanoTime();
    delegate.reluBackward(output, gradOut, gradInput);
    profile.record(Kernel.RELU_BACKWARD, System.nanoTime() - t0);
  }

  @Override
  public void columnSums(Tensor x, float[] out) {
    long t0 = System.nanoTime();
    delegate.columnSums(x, out);
    profile.transferred(0, 4L * out.length);
    profile.record(Kernel.COLUMN_SUMS, System.nanoTime() - t0);
  }

  @Override
  public void columnDots(Tensor x, Tensor y, float[] out) {
    long t0 = System.nanoTime();
    delegate.columnDots(x, y, out);
    profile.transferred(0, 4L * out.length);
    profile.record(Kernel.COLUMN_DOTS, System.nanoTime() - t0);
  }

  @Override
  public void columnAffine(Tensor x, float[] scale, float[] shift, Tensor out) {
    long t0 = System.nanoTime();
    delegate.columnAffine(x, scale, shift, out);
    profile.transferred(4L * (scale.length + shift.length), 0);
    profile.record(Kernel.COLUMN_AFFINE, System.nanoTime() - t0);
  }

  @Override
  public void columnAffine2(
      Tensor x, float[] xScale, Tensor y, float[] yScale, float[] shift, Tensor out) {
    long t0 = System.nanoTime();
    delegate.columnAffine2(x, xScale, y, yScale, shift, out);
    profile.transferred(4L * (xScale.length + yScale.length + shift.length), 0);
    profile.record(Kernel.COLUMN_AFFINE2, System.nanoTime() - t0);
  }

  @Override
  public void globalAvgPool(Tensor input, Tensor out) {
    long t0 = System.nanoTime();
    delegate.globalAvgPool(input, out);
    profile.record(Kernel.GLOBAL_AVG_POOL, System.nanoTime() - t0);
  }

  @Override
  public void globalAvgPoolBackward(Tensor gradOut, Tensor gradInput) {
    long t0 = System.nanoTime();
    delegate.globalAvgPoolBackward(gradOut, gradInput);
    profile.record(Kernel.GLOBAL_AVG_POOL_BACKWARD, System.nanoTime() - t0);
  }

  @Override
  public void maxPool(Tensor input, ConvGeometry geometry, Tensor out) {
    long t0 = System.nanoTime();
    delegate.maxPool(input, geometry, out);
    profile.record(Kernel.MAX_POOL, System.nanoTime() - t0);
  }

  @Override
  public void maxPoolBackward(
      Tensor input, Tensor gradOut, ConvGeometry geometry, Tensor gradInput) {
    long t0 = System.nanoTime();
    delegate.maxPoolBackward(input, gradOut, geometry, gradInput);
    profile.record(Kernel.MAX_POOL_BACKWARD, System.nanoTime() - t0);
  }

  @Override
  public void avgPool(Tensor input, ConvGeometry geometry, Tensor out) {
    long t0 = System.nanoTime();
    delegate.avgPool(input, geometry, out);
    profile.record(Kernel.AVG_POOL, System.nanoTime() - t0);
  }

  @Override
  public void avgPoolBackward(Tensor gradOut, ConvGeometry geometry, Tensor gradInput) {
    long t0 = System.nanoTime();
    delegate.avgPoolBackward(gradOut, geometry, gradInput);
    profile.record(Kernel.AVG_POOL_BACKWARD, System.nanoTime() - t0);
  }

  @Override
  public void fakeQuantize(Tensor x, float step, float zeroPoint, int qmin, int qmax, Tensor out) {
    long t0 = System.nanoTime();
    delegate.fakeQuantize(x, step, zeroPoint, qmin, qmax, out);
    profile.record(Kernel.FAKE_QUANTIZE, System.nanoTime() - t0);
  }

  @Override
  public float[] fakeQuantizeBackward(
      Tensor x, Tensor gradOut, float step, float zeroPoint, int qmin, int qmax, Tensor gradInput) {
    long t0 = System.nanoTime();
    float[] result =
        delegate.fakeQuantizeBackward(x, gradOut, step, zeroPoint, qmin, qmax, gradInput);
    profile.transferred(0, 4L * result.length);
    profile.record(Kernel.FAKE_QUANTIZE_BACKWARD, System.nanoTime() - t0);
    return result;
  }

  @Override
  public float[] minMax(Tensor x) {
    long t0 = System.nanoTime();
    float[] result = delegate.minMax(x);
    profile.transferred(0, 4L * result.length);
    profile.record(Kernel.MIN_MAX, System.nanoTime() - t0);
    return result;
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
    long t0 = System.nanoTime();
    delegate.batchedGemm(a, transposeA, b, transposeB, c, alpha, beta);
    profile.record(Kernel.BATCHED_GEMM, System.nanoTime() - t0);
  }

  @Override
  public void swapMiddleAxes(Tensor x, Tensor out) {
    long t0 = System.nanoTime();
    delegate.swapMiddleAxes(x, out);
    profile.record(Kernel.SWAP_MIDDLE_AXES, System.nanoTime() - t0);
  }

  @Override
  public void gatherRows(Tensor table, int[] indices, Tensor out) {
    long t0 = System.nanoTime();
    delegate.gatherRows(table, indices, out);
    profile.transferred(4L * indices.length, 0);
    profile.record(Kernel.GATHER_ROWS, System.nanoTime() - t0);
  }

  @Override
  public void scatterAddRows(Tensor src, int[] indices, Tensor table) {
    long t0 = System.nanoTime();
    delegate.scatterAddRows(src, indices, table);
    profile.transferred(4L * indices.length, 0);
    profile.record(Kernel.SCATTER_ADD_ROWS, System.nanoTime() - t0);
  }

  @Override
  public void multiply(Tensor a, Tensor b, Tensor out) {
    long t0 = System.nanoTime();
    delegate.multiply(a, b, out);
    profile.record(Kernel.MULTIPLY, System.nanoTime() - t0);
  }

  @Override
  public void gelu(Tensor x, Tensor out) {
    long t0 = System.nanoTime();
    delegate.gelu(x, out);
    profile.record(Kernel.GELU, System.nanoTime() - t0);
  }

  @Override
  public void geluBackward(Tensor x, Tensor gradOut, Tensor gradInput) {
    long t0 = System.nanoTime();
    delegate.geluBackward(x, gradOut, gradInput);
    profile.record(Kernel.GELU_BACKWARD, System.nanoTime() - t0);
  }

  @Override
  public void normalizeRows(Tensor x, float eps, Tensor out, Tensor invStd) {
    long t0 = System.nanoTime();
    delegate.normalizeRows(x, eps, out, invStd);
    profile.record(Kernel.NORMALIZE_ROWS, System.nanoTime() - t0);
  }

  @Override
  public void normalizeRowsBackward(
      Tensor normalized, Tensor invStd, Tensor gradNormalized, Tensor gradInput) {
    long t0 = System.nanoTime();
    delegate.normalizeRowsBackward(normalized, invStd, gradNormalized, gradInput);
    profile.record(Kernel.NORMALIZE_ROWS_BACKWARD, System.nanoTime() - t0);
  }

  @Override
  public void maskedSoftmax(Tensor scores, Tensor keyMask, Tensor out) {
    long t0 = System.nanoTime();
    delegate.maskedSoftmax(scores, keyMask, out);
    profile.record(Kernel.MASKED_SOFTMAX, System.nanoTime() - t0);
  }

  @Override
  public void softmaxBackward(Tensor probs, Tensor gradOut, Tensor gradInput) {
    long t0 = System.nanoTime();
    delegate.softmaxBackward(probs, gradOut, gradInput);
    profile.record(Kernel.SOFTMAX_BACKWARD, System.nanoTime() - t0);
  }

  @Override
  public FloatAccess hostAccess(Tensor tensor) {
    return delegate.hostAccess(tensor);
  }

  @Override
  public void dropoutMask(Tensor out, long seed, float probability) {
    long t0 = System.nanoTime();
    delegate.dropoutMask(out, seed, probability);
    profile.record(Kernel.DROPOUT_MASK, System.nanoTime() - t0);
  }

  @Override
  public void fill(Tensor tensor, float value) {
    long t0 = System.nanoTime();
    delegate.fill(tensor, value);
    profile.record(Kernel.FILL, System.nanoTime() - t0);
  }

  @Override
  public long firstNonFinite(Tensor tensor) {
    long t0 = System.nanoTime();
    long result = delegate.firstNonFinite(tensor);
    profile.transferred(0, 8);
    profile.record(Kernel.FIRST_NON_FINITE, System.nanoTime() - t0);
    return result;
  }

  @Override
  public void fakeQuantizeRows(
      Tensor x, Tensor step, Tensor zeroPoint, int qmin, int qmax, Tensor out) {
    long t0 = System.nanoTime();
    delegate.fakeQuantizeRows(x, step, zeroPoint, qmin, qmax, out);
    profile.record(Kernel.FAKE_QUANTIZE_ROWS, System.nanoTime() - t0);
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
    long t0 = System.nanoTime();
    delegate.fakeQuantizeRowsBackward(
        x, gradOut, rows, step, zeroPoint, qmin, qmax, stepGradScale, gradInput, gradStep);
    profile.transferred(rows == null ? 0 : 4L * rows.length, 0);
    profile.record(Kernel.FAKE_QUANTIZE_ROWS_BACKWARD, System.nanoTime() - t0);
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
    long t0 = System.nanoTime();
    delegate.sgdUpdate(w, grad, velocity, rows, lr, momentum, nesterov, weightDecay, minValue);
    profile.transferred(rows == null ? 0 : 4L * rows.length, 0);
    profile.record(Kernel.SGD_UPDATE, System.nanoTime() - t0);
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
    long t0 = System.nanoTime();
    delegate.adamwUpdate(w, grad, m, v, rows, steps, lr, beta1, beta2, eps, weightDecay, minValue);
    profile.transferred((rows == null ? 0 : 4L * rows.length) + 4L * steps.length, 0);
    profile.record(Kernel.ADAMW_UPDATE, System.nanoTime() - t0);
  }
}
