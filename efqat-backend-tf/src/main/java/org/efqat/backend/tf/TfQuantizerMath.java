package org.efqat.backend.tf;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * The fake quantizer as graph operations, shared by the per-tensor kernel ({@link TfTensorOps}) and
 * the per-row and backward kernels ({@link TfDeviceKernels}): {@code v = x·(1/s) + z} with the
 * reciprocal supplied by the caller (fed from Java, or an IEEE division in the graph), {@code q =
 * clamp(rint(v), qmin, qmax)} (half to even), {@code x̂ = (q − z)·s}; FP32 operation by operation
 * as the Java kernels, so the bits are theirs. Operands broadcast: scalars for a tensor's
 * quantizer, {@code [R, 1]} columns per row.
 */
final class TfQuantizerMath {
  private TfQuantizerMath() {}

  /**
   * @return {@code v = x·inverse + z}, the values in grid units
   */
  static Operand<TFloat32> grid(
      Ops tf, Operand<TFloat32> x, Operand<TFloat32> inverse, Operand<TFloat32> z) {
    return tf.math.add(tf.math.mul(x, inverse), z);
  }

  /**
   * @return {@code x̂ = (clamp(rint(v), lo, hi) − z)·s} with {@code v} from {@link #grid}
   */
  static Operand<TFloat32> fakeQuantize(
      Ops tf,
      Operand<TFloat32> x,
      Operand<TFloat32> s,
      Operand<TFloat32> inverse,
      Operand<TFloat32> z,
      Operand<TFloat32> lo,
      Operand<TFloat32> hi) {
    Operand<TFloat32> q = tf.clipByValue(tf.math.rint(grid(tf, x, inverse, z)), lo, hi);
    return tf.math.mul(tf.math.sub(q, z), s);
  }

  /**
   * Where {@code v = x·(1/s) + z} falls on the integer grid {@code [qmin, qmax]}: inside where
   * clamping leaves it unchanged.
   */
  static final class Grid {
    private final Ops tf;
    private final Operand<TFloat32> v;
    private final Operand<TFloat32> levels;
    private final Operand<TBool> inside;

    Grid(Ops tf, Operand<TFloat32> v, Operand<TFloat32> lo, Operand<TFloat32> hi) {
      this.tf = tf;
      this.v = v;
      Operand<TFloat32> clamped = tf.clipByValue(v, lo, hi);
      inside = tf.math.equal(clamped, v);
      levels = tf.math.rint(clamped); // = clamp(rint(v)): the bounds are integers
    }

    /**
     * @return {@code dy} inside the grid, {@code 0} outside (the straight-through gradient)
     */
    Operand<TFloat32> insideOnly(Operand<TFloat32> dy) {
      return tf.select(inside, dy, tf.constant(0f));
    }

    /**
     * @return the LSQ step terms {@code dy·(q − v)} inside ({@code q = rint(v)}) and {@code dy·(q −
     *     z)} outside ({@code q} the bound: {@code qmin − z} below, {@code qmax − z} above)
     */
    Operand<TFloat32> stepTerms(Operand<TFloat32> dy, Operand<TFloat32> z) {
      return tf.math.mul(dy, tf.math.sub(levels, tf.select(inside, v, z)));
    }
  }
}
