package org.efqat.backend.tf;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * The element-wise and row-wise subgraphs of the Transformer kernels, built into a kernel's graph
 * (shapes are checked by the caller; "rows" are the last axis of a {@code [M, D]} operand).
 *
 * <ul>
 *   <li>GELU: {@code x·½·(1 + Erf(x/√2))}; its derivative {@code Φ(x) + x·φ(x)} with {@code Φ} from
 *       the same {@code Erf} and {@code φ = Exp(−x²/2)/√(2π)}.
 *   <li>Row normalization: {@code Mean} along the rows, the centered rows, their biased variance as
 *       the {@code Mean} of their {@code Square} (two passes, no cancellation), {@code Rsqrt} of
 *       the variance plus the fed {@code eps}; the backward pass takes two row means ({@code g} and
 *       {@code g·x̂}).
 *   <li>Masked softmax: {@code SelectV2} replaces the masked scores by {@code −∞} (the mask
 *       broadcast over heads and queries), then TensorFlow's {@code Softmax}, which subtracts the
 *       row maximum before {@code Exp}: masked keys come out exactly 0 whatever their score, and
 *       large scores do not overflow. Its gradient: {@code p·(dy − Sum(p·dy))}.
 * </ul>
 */
final class TfTransformerMath {
  private static final float SQRT_HALF = (float) Math.sqrt(0.5);
  private static final float INV_SQRT_2PI = (float) (1 / Math.sqrt(2 * Math.PI));

  private final Ops tf;

  /**
   * @param tf the ops of the kernel being built
   */
  TfTransformerMath(Ops tf) {
    this.tf = tf;
  }

  /**
   * @param x any shape
   * @return {@code x·Φ(x)}, same shape
   */
  Operand<TFloat32> gelu(Operand<TFloat32> x) {
    Operand<TFloat32> halfX = tf.math.mul(x, tf.constant(0.5f));
    return tf.math.add(halfX, tf.math.mul(halfX, erfOfScaled(x)));
  }

  /**
   * @param x the forward input
   * @param dy the output gradient, same shape
   * @return {@code dy·(Φ(x) + x·φ(x))}
   */
  Operand<TFloat32> geluBackward(Operand<TFloat32> x, Operand<TFloat32> dy) {
    Operand<TFloat32> cdf =
        tf.math.mul(tf.math.add(erfOfScaled(x), tf.constant(1f)), tf.constant(0.5f));
    Operand<TFloat32> density =
        tf.math.mul(
            tf.math.exp(tf.math.mul(tf.math.square(x), tf.constant(-0.5f))),
            tf.constant(INV_SQRT_2PI));
    return tf.math.mul(dy, tf.math.add(cdf, tf.math.mul(x, density)));
  }

  /**
   * @param x {@code [M, D]}
   * @param eps added to the variance, a scalar
   * @return {@code x̂ [M, D]} and {@code r [M]}
   */
  List<Operand<TFloat32>> normalizeRows(Operand<TFloat32> x, Operand<TFloat32> eps) {
    Operand<TFloat32> centered = tf.math.sub(x, rowMean(x));
    Operand<TFloat32> variance = rowMean(tf.math.square(centered)); // [M, 1]
    Operand<TFloat32> inverse = tf.math.rsqrt(tf.math.add(variance, eps));
    return List.of(
        tf.math.mul(centered, inverse), tf.reshape(inverse, tf.constant(new long[] {-1})));
  }

  /**
   * @param normalized {@code x̂ [M, D]}
   * @param invStd {@code r [M, 1]}
   * @param g the gradient w.r.t. {@code x̂}, {@code [M, D]}
   * @return {@code r·(g − mean(g) − x̂·mean(g·x̂))}, {@code [M, D]}
   */
  Operand<TFloat32> normalizeRowsBackward(
      Operand<TFloat32> normalized, Operand<TFloat32> invStd, Operand<TFloat32> g) {
    Operand<TFloat32> projection = tf.math.mul(normalized, rowMean(tf.math.mul(g, normalized)));
    return tf.math.mul(tf.math.sub(tf.math.sub(g, rowMean(g)), projection), invStd);
  }

  /**
   * @param scores {@code [B, H, L_q, L_k]}
   * @param keyMask {@code [B, 1, 1, L_k]}, 1 or 0
   * @return the probabilities, {@code [B, H, L_q, L_k]}, exactly 0 where the mask is 0
   */
  Operand<TFloat32> maskedSoftmax(Operand<TFloat32> scores, Operand<TFloat32> keyMask) {
    Operand<TBool> keep = tf.math.notEqual(keyMask, tf.constant(0f));
    return tf.nn.softmax(tf.select(keep, scores, tf.constant(Float.NEGATIVE_INFINITY)));
  }

  /**
   * @param probs {@code p [M, L]}
   * @param dy {@code [M, L]}
   * @return {@code p·(dy − Σ_j p·dy)}, {@code [M, L]}
   */
  Operand<TFloat32> softmaxBackward(Operand<TFloat32> probs, Operand<TFloat32> dy) {
    Operand<TFloat32> dot =
        tf.reduceSum(tf.math.mul(probs, dy), tf.constant(-1), ReduceSum.keepDims(true));
    return tf.math.mul(probs, tf.math.sub(dy, dot));
  }

  /** {@code Erf(x·√½)}. */
  private Operand<TFloat32> erfOfScaled(Operand<TFloat32> x) {
    return tf.math.erf(tf.math.mul(x, tf.constant(SQRT_HALF)));
  }

  /** The mean of each row of {@code [M, D]}, {@code [M, 1]}. */
  private Operand<TFloat32> rowMean(Operand<TFloat32> x) {
    return tf.math.mean(x, tf.constant(-1), Mean.keepDims(true));
  }
}
