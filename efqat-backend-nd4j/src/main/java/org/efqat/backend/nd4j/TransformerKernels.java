package org.efqat.backend.nd4j;

import org.efqat.api.backend.Shapes;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.api.ops.impl.reduce.floating.Mean;
import org.nd4j.linalg.api.ops.impl.reduce.same.Sum;
import org.nd4j.linalg.api.ops.impl.summarystats.Variance;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.floating.RSqrt;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erfc;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Transformer kernels of {@link Nd4jTensorOps}, each a few libnd4j operations that write into
 * the caller's arrays: the {@code matmul} custom op (batched, with transposes, alpha and beta),
 * {@code gather} and {@code scatter_add} (locked, so repeated indices accumulate), {@code erfc} for
 * the exact GELU, {@code variance}/{@code mean} reductions and broadcast ops for the row
 * normalization, and {@code softmax} for attention. The arrays are C-ordered FP32; a tensor of any
 * rank is viewed as the matrix {@code [rows, last dimension]}.
 */
final class TransformerKernels {
  /** {@code 1/√2}. */
  private static final double SQRT1_2 = Math.sqrt(0.5);

  /** {@code 1/√(2π)}. */
  private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

  /**
   * Added to the scores of masked keys before the softmax: their exponential is exactly 0 while an
   * FP32 score of any realistic size keeps its value (and the row maximum stays an unmasked one).
   */
  private static final double MASKED_SCORE_OFFSET = -1e30;

  private TransformerKernels() {}

  static void batchedGemm(
      INDArray a, boolean ta, INDArray b, boolean tb, INDArray c, float alpha, float beta) {
    Shapes.checkBatchedGemm(a.shape(), ta, b.shape(), tb, c.shape());
    Nd4j.exec(new Mmul(a, b, c, alpha, beta, new MMulTranspose(ta, tb, false)));
  }

  static void swapMiddleAxes(INDArray x, INDArray out) {
    Shapes.checkSwapMiddleAxes(x.shape(), out.shape());
    out.assign(x.permute(0, 2, 1, 3));
  }

  static void gatherRows(INDArray table, int[] indices, INDArray out) {
    Shapes.checkRows("gatherRows", table.shape(), indices, out.shape());
    if (indices.length == 0) {
      return;
    }
    INDArray idx = Nd4j.createFromArray(indices);
    Nd4j.exec(
        DynamicCustomOp.builder("gather")
            .addInputs(table, idx)
            .addOutputs(out)
            .addIntegerArguments(0)
            .build());
    idx.close();
  }

  static void scatterAddRows(INDArray src, int[] indices, INDArray table) {
    Shapes.checkRows("scatterAddRows", table.shape(), indices, src.shape());
    if (indices.length == 0) {
      return;
    }
    INDArray idx = Nd4j.createFromArray(indices);
    // lock = true: one thread walks the indices, so rows named twice accumulate without a race
    Nd4j.exec(
        DynamicCustomOp.builder("scatter_add")
            .addInputs(table, idx, src)
            .addOutputs(table)
            .addBooleanArguments(true, false)
            .build());
    idx.close();
  }

  /** {@code out = x·Φ(x)} with {@code Φ(x) = erfc(−x/√2)/2}, exact in the left tail too. */
  static void gelu(INDArray x, INDArray out) {
    Shapes.checkSameSize("gelu", x.shape(), out.shape());
    INDArray fx = flat(x);
    INDArray cdf = normalCdf(fx);
    fx.mul(cdf, flat(out));
    cdf.close();
  }

  /** {@code gradInput = gradOut·(Φ(x) + x·φ(x))}. */
  static void geluBackward(INDArray x, INDArray gradOut, INDArray gradInput) {
    Shapes.checkSameSize("geluBackward", x.shape(), gradOut.shape(), gradInput.shape());
    INDArray fx = flat(x);
    INDArray slope = normalCdf(fx);
    INDArray density = fx.mul(fx).muli(-0.5);
    Nd4j.exec(new Exp(density, density));
    density.muli(fx).muli(INV_SQRT_2PI); // x·φ(x)
    slope.addi(density);
    flat(gradOut).mul(slope, flat(gradInput));
    slope.close();
    density.close();
  }

  /** A new array {@code Φ(x) = erfc(−x/√2)/2}. */
  private static INDArray normalCdf(INDArray x) {
    INDArray cdf = x.mul(-SQRT1_2);
    Nd4j.exec(new Erfc(cdf, cdf));
    return cdf.muli(0.5);
  }

  static void normalizeRows(INDArray x, float eps, INDArray out, INDArray invStd) {
    Shapes.checkNormalizeRows(x.shape(), out.shape(), invStd.shape());
    INDArray xm = rows(x);
    INDArray om = rows(out);
    INDArray mean = Nd4j.create(DataType.FLOAT, xm.rows());
    Nd4j.exec(new Mean(xm, mean, 1));
    if (xm.columns() == 1) {
      invStd.assign(0); // libnd4j's variance leaves z unwritten over a dimension of length 1
    } else {
      Nd4j.exec(new Variance(xm, invStd, false, 1)); // biased: Σ(x − μ)²/D
    }
    invStd.addi(eps);
    Nd4j.exec(new RSqrt(invStd, invStd));
    Nd4j.exec(new BroadcastSubOp(xm, mean, om, 0));
    Nd4j.exec(new BroadcastMulOp(om, invStd, om, 0));
    mean.close();
  }

  /** {@code dx = r·(g − mean(g) − x̂·mean(g·x̂))} per row. */
  static void normalizeRowsBackward(
      INDArray normalized, INDArray invStd, INDArray gradNormalized, INDArray gradInput) {
    Shapes.checkNormalizeRowsBackward(
        normalized.shape(), invStd.shape(), gradNormalized.shape(), gradInput.shape());
    INDArray xh = rows(normalized);
    INDArray g = rows(gradNormalized);
    INDArray dx = rows(gradInput);
    INDArray meanG = g.mean(1);
    INDArray gx = g.mul(xh);
    INDArray meanGx = gx.mean(1);
    Nd4j.exec(new BroadcastMulOp(xh, meanGx, gx, 0)); // gx := x̂·mean(g·x̂)
    Nd4j.exec(new BroadcastSubOp(g, meanG, dx, 0)); // dx may be g: read before the write
    dx.subi(gx);
    Nd4j.exec(new BroadcastMulOp(dx, invStd, dx, 0));
    meanG.close();
    gx.close();
    meanGx.close();
  }

  /**
   * Adds {@code (mask − 1)·1e30} to the scores (0 for keys, −1e30 for padding) and takes libnd4j's
   * softmax over the last axis, which subtracts the row maximum, now an unmasked score; the padded
   * keys' exponentials underflow to exactly 0 whatever their scores.
   */
  static void maskedSoftmax(INDArray scores, INDArray keyMask, INDArray out) {
    Shapes.checkMaskedSoftmax(scores.shape(), keyMask.shape(), out.shape());
    INDArray offset = keyMask.sub(1).muli(-MASKED_SCORE_OFFSET);
    Nd4j.exec(new BroadcastAddOp(scores, offset, out, 0, 3));
    Nd4j.exec(new SoftMax(out, out, 3));
    offset.close();
  }

  /** {@code dx = p·(dy − Σ_j p·dy)} per row. */
  static void softmaxBackward(INDArray probs, INDArray gradOut, INDArray gradInput) {
    Shapes.checkSameShape("softmaxBackward", probs.shape(), gradOut.shape(), gradInput.shape());
    if (probs.length() == 0) {
      return;
    }
    INDArray p = rows(probs);
    INDArray dy = rows(gradOut);
    INDArray dx = rows(gradInput);
    INDArray pdy = p.mul(dy);
    INDArray dot = Nd4j.create(DataType.FLOAT, p.rows());
    Nd4j.exec(new Sum(pdy, dot, 1));
    Nd4j.exec(new BroadcastSubOp(dy, dot, dx, 0)); // dx may be dy: read before the write
    dx.muli(p);
    pdy.close();
    dot.close();
  }

  /** The array as {@code [rows, last dimension]}: a view of the same C-ordered buffer. */
  private static INDArray rows(INDArray a) {
    long d = a.size(a.rank() - 1);
    return a.rank() == 2 ? a : a.reshape('c', new long[] {a.length() / d, d});
  }

  private static INDArray flat(INDArray a) {
    return a.reshape('c', new long[] {a.length()});
  }
}
