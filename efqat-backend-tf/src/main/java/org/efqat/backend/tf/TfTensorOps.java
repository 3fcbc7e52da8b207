package org.efqat.backend.tf;

import org.efqat.api.backend.Shapes;
import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The TensorFlow kernels, as eager ops. The sparse-row weight gradient gathers the unfrozen
 * columns of {@code dY} ({@code Gather}), multiplies only those ({@code MatMul} with {@code
 * transpose_a}) and writes the rows into {@code dW} with {@code TensorScatterNdUpdate}.
 */
final class TfTensorOps implements TensorOps {
  private final TfBackend backend;
  private final Ops tf;

  TfTensorOps(TfBackend backend, Ops tf) {
    this.backend = backend;
    this.tf = tf;
  }

  @Override
  public Tensor fromArray(float[] data, long... shape) {
    Shapes.checkData(data.length, shape);
    Operand<TFloat32> c = tf.constant(Shape.of(shape), DataBuffers.of(data, true, true));
    return new TfTensor(backend, c, shape);
  }

  @Override
  public Tensor zeros(long... shape) {
    Shapes.checkData((int) Shape.of(shape).size(), shape);
    return fromArray(new float[(int) Shape.of(shape).size()], shape);
  }

  @Override
  public float[] toArray(Tensor tensor) {
    TfTensor t = unwrap(tensor);
    float[] out = new float[(int) t.size()];
    if (out.length > 0) {
      t.value().asTensor().copyTo(DataBuffers.of(out, false, false));
    }
    return out;
  }

  @Override
  public void gemm(Tensor a, boolean transposeA, Tensor b, boolean transposeB, Tensor c,
      float alpha, float beta) {
    TfTensor ta = unwrap(a);
    TfTensor tb = unwrap(b);
    TfTensor tc = unwrap(c);
    Shapes.checkGemm(ta.shape(), transposeA, tb.shape(), transposeB, tc.shape());
    Operand<TFloat32> product = tf.linalg.matMul(ta.value(), tb.value(),
        MatMul.transposeA(transposeA), MatMul.transposeB(transposeB));
    if (alpha != 1f) {
      product = tf.math.mul(product, tf.constant(alpha));
    }
    if (beta != 0f) {
      product = tf.math.add(product, tf.math.mul(tc.value(), tf.constant(beta)));
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
    if (rows.length == dw.shape()[0]) {
      dw.replace(tf.linalg.matMul(dy.value(), x.value(), MatMul.transposeA(true)));
      return;
    }
    Operand<TInt32> index = tf.constant(rows);
    Operand<TFloat32> dyColumns = tf.gather(dy.value(), index, tf.constant(1)); // [N, |U|]
    Operand<TFloat32> partial =
        tf.linalg.matMul(dyColumns, x.value(), MatMul.transposeA(true)); // [|U|, K]
    Operand<TInt32> scatterIndex = tf.expandDims(index, tf.constant(1)); // [|U|, 1]
    dw.replace(tf.tensorScatterNdUpdate(dw.value(), scatterIndex, partial));
  }

  private TfTensor unwrap(Tensor t) {
    if (!(t instanceof TfTensor tt) || tt.owner() != backend) {
      throw new IllegalArgumentException("tensor " + t + " does not belong to this tf backend");
    }
    return tt;
  }
}
