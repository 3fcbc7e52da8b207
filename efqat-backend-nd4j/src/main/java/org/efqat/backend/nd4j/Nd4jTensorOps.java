package org.efqat.backend.nd4j;

import org.efqat.api.backend.Shapes;
import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ND4J kernels. GEMMs write into the caller's output with {@link Nd4j#gemm} (no fresh
 * result arrays); the sparse-row weight gradient gathers the unfrozen columns of {@code dY} with
 * {@link Nd4j#pullRows}, multiplies only those ({@code |U|·N·K} multiply-adds instead of {@code
 * C_out·N·K}) and scatters the rows into {@code dW}. Buffer reuse on this path is issue 5's work.
 */
final class Nd4jTensorOps implements TensorOps {
  private final Nd4jBackend backend;

  Nd4jTensorOps(Nd4jBackend backend) {
    this.backend = backend;
  }

  @Override
  public Tensor fromArray(float[] data, long... shape) {
    Shapes.checkData(data.length, shape);
    INDArray a = data.length == 0
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
    INDArray c = a.isView() || a.ordering() != 'c' ? a.dup('c') : a;
    return c.data().asFloat();
  }

  @Override
  public void gemm(Tensor a, boolean transposeA, Tensor b, boolean transposeB, Tensor c,
      float alpha, float beta) {
    INDArray aa = unwrap(a);
    INDArray bb = unwrap(b);
    INDArray cc = unwrap(c);
    Shapes.checkGemm(aa.shape(), transposeA, bb.shape(), transposeB, cc.shape());
    if (beta == 0f) {
      cc.assign(0f); // BLAS may still read C when beta is 0; NaN * 0 would leak through
    }
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

  private INDArray unwrap(Tensor t) {
    if (!(t instanceof Nd4jTensor n) || n.owner() != backend) {
      throw new IllegalArgumentException(
          "tensor " + t + " does not belong to this nd4j backend");
    }
    return n.array();
  }

  private static long product(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }
}
