package org.efqat.backend.nd4j;

import org.efqat.api.backend.DropoutMasks;
import org.efqat.api.backend.ParameterKernels;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastDivOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.api.ops.impl.transforms.custom.BitwiseAnd;
import org.nd4j.linalg.api.ops.impl.transforms.custom.BitwiseXor;
import org.nd4j.linalg.api.ops.impl.transforms.custom.RShiftBits;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Rint;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@link ParameterKernels} composed of ND4J operations, for ND4J's CUDA build, where the Java loops
 * over host memory would copy every parameter to the host and back each step (issue 13, item 3):
 * per-row weight fake quantization, its straight-through/LSQ backward pass, the row-masked SGD and
 * AdamW updates and the non-finite scan. The listed rows are gathered ({@code gather}), computed on
 * and written back ({@code scatter_upd}, {@code scatter_add}); frozen rows are never written.
 *
 * <p>Element-wise arithmetic follows {@link ParameterKernels} operation by operation (FP32 where it
 * computes in FP32, FP64 where it computes in double, each operation a separate pass so nothing is
 * fused), so the results are its bits; the per-row LSQ sums are FP64 reductions of the same FP32
 * terms, equal to its sequential sums up to their last bits before the final FP32 rounding. {@code
 * Nd4jDeviceOpsContractTest} checks all of it against the shared backend contract on the CPU build.
 */
final class DeviceParameterKernels {
  /** SplittableRandom's default increment γ. */
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  private DeviceParameterKernels() {}

  /**
   * {@link ParameterKernels#fakeQuantizeRows}.
   *
   * @param x {@code [R, K]}
   * @param step {@code [R]}
   * @param zeroPoint {@code [R]}
   * @param qmin the lowest level
   * @param qmax the highest level
   * @param out {@code [R, K]}; may be {@code x}
   */
  static void fakeQuantizeRows(
      INDArray x, INDArray step, INDArray zeroPoint, int qmin, int qmax, INDArray out) {
    try (INDArray inv = step.rdiv(1f)) {
      Nd4j.exec(new BroadcastMulOp(x, inv, out, 0));
      // out = x·(1/s) + z, then levels, then back to values
      Nd4j.exec(new BroadcastAddOp(out, zeroPoint, out, 0));
      Nd4j.exec(new Rint(out, out));
      Transforms.max(out, qmin, false);
      Transforms.min(out, qmax, false);
      Nd4j.exec(new BroadcastSubOp(out, zeroPoint, out, 0));
      Nd4j.exec(new BroadcastMulOp(out, step, out, 0));
    }
  }

  /**
   * {@link ParameterKernels#fakeQuantizeRowsBackward}.
   *
   * @param x {@code [R, K]}
   * @param gradOut {@code [U, K]}, the listed rows in order ({@code [R, K]} for all)
   * @param rows the rows, strictly increasing, or {@code null} for all
   * @param step {@code [R]}
   * @param zeroPoint {@code [R]}
   * @param qmin the lowest level
   * @param qmax the highest level
   * @param stepGradScale the LSQ scale of the step gradient
   * @param gradInput {@code [R, K]}, added to in the listed rows
   * @param gradStep {@code [R]}, added to in the listed rows, or {@code null}
   */
  static void fakeQuantizeRowsBackward(
      INDArray x,
      INDArray gradOut,
      int[] rows,
      INDArray step,
      INDArray zeroPoint,
      int qmin,
      int qmax,
      double stepGradScale,
      INDArray gradInput,
      INDArray gradStep) {
    try (INDArray idx = rowIndex(rows); // null for every row: try-with-resources skips it
        INDArray xs = gatherRows(x, idx);
        INDArray s = vector(gatherRows(step, idx));
        INDArray z = vector(gatherRows(zeroPoint, idx));
        INDArray inv = s.rdiv(1f);
        INDArray v = Nd4j.create(DataType.FLOAT, xs.shape());
        INDArray rounding = Nd4j.create(DataType.FLOAT, xs.shape())) {
      Nd4j.exec(new BroadcastMulOp(xs, inv, v, 0));
      Nd4j.exec(new BroadcastAddOp(v, z, v, 0)); // v = x·(1/s) + z
      try (INDArray below = DeviceOpKernels.mask(v, true, qmin);
          INDArray above = DeviceOpKernels.mask(v, false, qmax);
          INDArray inside = below.rsub(1f).subi(above)) {
        Nd4j.exec(new Rint(v, rounding));
        rounding.subi(v).muli(gradOut).muli(inside); // dy·(rint(v) − v) inside, 0 outside
        if (gradStep != null) {
          try (INDArray low = z.rsub((float) qmin);
              INDArray high = z.rsub((float) qmax);
              INDArray outside = Nd4j.create(DataType.FLOAT, xs.shape())) {
            Nd4j.exec(new BroadcastMulOp(gradOut, low, outside, 0));
            rounding.addi(outside.muli(below)); // dy·(qmin − z) below the grid
            Nd4j.exec(new BroadcastMulOp(gradOut, high, outside, 0));
            rounding.addi(outside.muli(above)); // dy·(qmax − z) above it
            try (INDArray terms = rounding.castTo(DataType.DOUBLE);
                INDArray sums = terms.sum(1);
                INDArray ds = sums.muli(stepGradScale).castTo(DataType.FLOAT)) {
              addRows(gradStep, idx, ds);
            }
          }
        }
        try (INDArray dx = gradOut.mul(inside)) {
          addRows(gradInput, idx, dx);
        }
      }
    }
  }

  /**
   * {@link ParameterKernels#sgd}, in FP64 as there.
   *
   * @param w the parameter {@code [R, K]}
   * @param grad its gradient
   * @param velocity the momentum buffer
   * @param rows the rows, strictly increasing, or {@code null} for all
   * @param lr the learning rate
   * @param momentum {@code μ}
   * @param nesterov Nesterov momentum
   * @param weightDecay L2 decay {@code λ}
   * @param minValue the floor of the updated values
   */
  static void sgd(
      INDArray w,
      INDArray grad,
      INDArray velocity,
      int[] rows,
      double lr,
      double momentum,
      boolean nesterov,
      double weightDecay,
      float minValue) {
    try (INDArray idx = rowIndex(rows); // null for every row: try-with-resources skips it
        INDArray wd = gatherDouble(w, idx);
        INDArray g = gatherDouble(grad, idx);
        INDArray v = gatherDouble(velocity, idx)) {
      try (INDArray decay = wd.mul(weightDecay)) {
        g.addi(decay); // g = ∇ + λ·w
      }
      v.muli(momentum).addi(g); // v = μ·v + g
      try (INDArray d = nesterov ? v.mul(momentum).addi(g) : v.dup()) {
        wd.subi(d.muli(lr)); // w − lr·d
      }
      writeRows(velocity, idx, v);
      writeFloored(w, idx, wd, minValue);
    }
  }

  /**
   * {@link ParameterKernels#adamw}, in FP64 as there.
   *
   * @param w the parameter {@code [R, K]}
   * @param grad its gradient
   * @param m the first moments
   * @param v the second moments
   * @param rows the rows, strictly increasing, or {@code null} for all
   * @param steps {@code t} of each listed row (every row for {@code null})
   * @param lr the learning rate
   * @param beta1 {@code β1}
   * @param beta2 {@code β2}
   * @param eps {@code ε}
   * @param weightDecay decoupled decay {@code λ}
   * @param minValue the floor of the updated values
   */
  static void adamw(
      INDArray w,
      INDArray grad,
      INDArray m,
      INDArray v,
      int[] rows,
      int[] steps,
      double lr,
      double beta1,
      double beta2,
      double eps,
      double weightDecay,
      float minValue) {
    double[] c1 = ParameterKernels.biasCorrections(beta1, steps);
    double[] c2 = ParameterKernels.biasCorrections(beta2, steps);
    try (INDArray idx = rowIndex(rows); // null for every row: try-with-resources skips it
        INDArray wd = gatherDouble(w, idx);
        INDArray g = gatherDouble(grad, idx);
        INDArray mj = gatherDouble(m, idx);
        INDArray vj = gatherDouble(v, idx);
        INDArray bias1 = Nd4j.createFromArray(c1);
        INDArray bias2 = Nd4j.createFromArray(c2);
        INDArray g1 = g.mul(1 - beta1);
        INDArray g2 = g.mul(1 - beta2).muli(g)) {
      mj.muli(beta1).addi(g1); // β1·m + (1 − β1)·g
      vj.muli(beta2).addi(g2); // β2·v + (1 − β2)·g·g
      try (INDArray mHat = Nd4j.create(DataType.DOUBLE, mj.shape());
          INDArray denominator = Nd4j.create(DataType.DOUBLE, vj.shape())) {
        Nd4j.exec(new BroadcastDivOp(mj, bias1, mHat, 0));
        Nd4j.exec(new BroadcastDivOp(vj, bias2, denominator, 0));
        Transforms.sqrt(denominator, false).addi(eps);
        try (INDArray decay = wd.mul(weightDecay)) {
          mHat.divi(denominator).addi(decay); // the update
        }
        wd.subi(mHat.muli(lr));
      }
      writeRows(m, idx, mj);
      writeRows(v, idx, vj);
      writeFloored(w, idx, wd, minValue);
    }
  }

  /**
   * {@link DropoutMasks#fill} as INT64 operations: element {@code i} draws {@code new
   * SplittableRandom(seed)}'s {@code i}-th {@code nextFloat()} by mixing {@code seed + (i + 1)·γ}
   * (multiplications wrap as in Java; Java's unsigned shifts are arithmetic shifts masked to the
   * shifted width), so the mask is the heap's bit for bit.
   *
   * @param out the mask, any shape, overwritten
   * @param seed the stream's seed
   * @param probability {@code p} in {@code [0, 1)}
   */
  static void dropoutMask(INDArray out, long seed, float probability) {
    long n = out.length();
    if (n == 0) {
      return;
    }
    float scale = 1f / (1f - probability);
    try (INDArray z = Nd4j.linspace(1, n, n, DataType.INT64);
        INDArray gamma = longScalar(GOLDEN_GAMMA);
        INDArray start = longScalar(seed);
        INDArray mix1 = longScalar(0x62a9d9ed799705f5L);
        INDArray mix2 = longScalar(0xcb24d0a5c88c35b3L)) {
      z.muli(gamma).addi(start); // seed + (i + 1)·γ
      mixShift(z, 33);
      z.muli(mix1);
      mixShift(z, 28);
      z.muli(mix2);
      logicalShiftRight(z, 40); // the top 24 bits: nextFloat()·2^24
      try (INDArray uniform = z.castTo(DataType.FLOAT).muli(0x1.0p-24f);
          INDArray kept = uniform.gte(probability).castTo(DataType.FLOAT)) {
        out.reshape('c', new long[] {n}).assign(kept.muli(scale));
      }
    }
  }

  /** {@code z ^= z >>> shift}. */
  private static void mixShift(INDArray z, int shift) {
    try (INDArray shifted = z.dup()) {
      logicalShiftRight(shifted, shift);
      Nd4j.exec(new BitwiseXor(z, shifted, z));
    }
  }

  /** {@code z = z >>> shift}: an arithmetic shift, then the sign's copies masked off. */
  private static void logicalShiftRight(INDArray z, int shift) {
    try (INDArray by = longScalar(shift);
        INDArray mask = longScalar(-1L >>> shift)) {
      Nd4j.exec(new RShiftBits(z, by, z));
      Nd4j.exec(new BitwiseAnd(z, mask, z));
    }
  }

  private static INDArray longScalar(long v) {
    return Nd4j.scalar(DataType.INT64, v);
  }

  /**
   * @param a any shape
   * @return the row-major position of the first NaN or infinity, or -1
   */
  static long firstNonFinite(INDArray a) {
    INDArray flat = a.reshape('c', new long[] {a.length()});
    try (INDArray first = BooleanIndexing.firstIndex(flat, Conditions.notFinite())) {
      return first.getLong(0);
    }
  }

  /** The row list as an INT32 array for {@code gather}/{@code scatter_*}, or null for all rows. */
  private static INDArray rowIndex(int[] rows) {
    return rows == null ? null : Nd4j.createFromArray(rows);
  }

  /**
   * The listed rows of {@code a} ({@code [R, ...]} as {@code [R, K]}), a new array; all: a copy.
   */
  private static INDArray gatherRows(INDArray a, INDArray idx) {
    INDArray m = asRows(a);
    if (idx == null) {
      return m.dup('c');
    }
    return Nd4j.exec(
        DynamicCustomOp.builder("gather").addInputs(m, idx).addIntegerArguments(0).build())[0];
  }

  /** {@code [U, 1]} as {@code [U]}, for broadcasting along dimension 0. */
  private static INDArray vector(INDArray a) {
    return a.reshape('c', new long[] {a.length()});
  }

  private static INDArray gatherDouble(INDArray a, INDArray idx) {
    try (INDArray rows = gatherRows(a, idx)) {
      return rows.castTo(DataType.DOUBLE);
    }
  }

  /** {@code a[rows] = values}, cast to {@code a}'s FP32. */
  private static void writeRows(INDArray a, INDArray idx, INDArray values) {
    if (values.dataType() != DataType.FLOAT) {
      try (INDArray f = values.castTo(DataType.FLOAT)) {
        writeRows(a, idx, f);
      }
      return;
    }
    INDArray m = asRows(a);
    INDArray f = values.reshape('c', new long[] {rowCount(values), m.size(1)});
    if (idx == null) {
      m.assign(f);
    } else {
      Nd4j.exec(DynamicCustomOp.builder("scatter_upd").addInputs(m, idx, f).addOutputs(m).build());
    }
  }

  /** {@code a[rows] += values}, in FP32. */
  private static void addRows(INDArray a, INDArray idx, INDArray values) {
    INDArray m = asRows(a);
    INDArray f = values.reshape('c', new long[] {rowCount(values), m.size(1)});
    if (idx == null) {
      m.addi(f);
    } else {
      Nd4j.exec(DynamicCustomOp.builder("scatter_add").addInputs(m, idx, f).addOutputs(m).build());
    }
  }

  /**
   * {@code a[rows] = max((float) x, minValue)}: rounded to FP32 first, then floored, as in {@link
   * ParameterKernels}.
   */
  private static void writeFloored(INDArray a, INDArray idx, INDArray x, float minValue) {
    try (INDArray f = x.castTo(DataType.FLOAT)) {
      if (minValue != Float.NEGATIVE_INFINITY) {
        Transforms.max(f, minValue, false);
      }
      writeRows(a, idx, f);
    }
  }

  private static INDArray asRows(INDArray a) {
    long rows = a.rank() == 0 ? 1 : a.size(0);
    return a.reshape('c', new long[] {rows, a.length() / rows});
  }

  private static long rowCount(INDArray values) {
    return values.rank() == 0 ? 1 : values.size(0);
  }
}
