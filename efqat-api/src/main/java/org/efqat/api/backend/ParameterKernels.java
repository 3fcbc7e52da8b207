package org.efqat.api.backend;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * The kernels that keep a network's parameters and optimizer state where the backend holds them
 * (issue 13): per-row weight fake quantization and its LSQ backward pass, and the row-masked SGD
 * and AdamW updates of DESIGN.md 1.2. They run on {@link FloatAccess}, in place, so the heap
 * reference ({@link TensorOps}' default methods) and every backend that runs them on its own
 * storage compute the same bits. Work is split by row; each row is computed by one thread in index
 * order, so results do not depend on the thread count.
 *
 * <p>A parameter of shape {@code [R, ...]} has {@code R} rows of {@code K = size/R} values (a
 * scalar is one row). {@code rows} lists the rows to touch, strictly increasing, or is {@code null}
 * for every row; the other rows, and their optimizer state, are neither read for the result nor
 * written (frozen rows stay bit-identical).
 */
public final class ParameterKernels {
  /** Values per kernel call above which rows are spread over the common fork-join pool. */
  private static final long PARALLEL_WORK = 1 << 15;

  private ParameterKernels() {}

  /**
   * Per-row fake quantization, {@code out[r, j] = s_r·(clamp(rint(x[r, j]·(1/s_r) + z_r), qmin,
   * qmax) − z_r)}, with the per-tensor kernel's FP32 arithmetic ({@link TensorOps#fakeQuantize}).
   *
   * @param x the latent values {@code [R, K]}
   * @param step {@code s}, {@code [R]}, positive
   * @param zeroPoint {@code z}, {@code [R]}, in grid units
   * @param rowCount {@code R}
   * @param k {@code K}
   * @param qmin the lowest level
   * @param qmax the highest level
   * @param out {@code [R, K]}; may be {@code x}
   */
  public static void fakeQuantizeRows(
      FloatAccess x,
      FloatAccess step,
      FloatAccess zeroPoint,
      int rowCount,
      int k,
      int qmin,
      int qmax,
      FloatAccess out) {
    forRows(
        rowCount,
        k,
        r -> {
          float s = step.get(r);
          float z = zeroPoint.get(r);
          float inv = 1f / s;
          for (long i = (long) r * k, end = i + k; i < end; i++) {
            float q = (float) Math.rint(x.get(i) * inv + z);
            q = Math.max(qmin, Math.min(qmax, q));
            out.set(i, s * (q - z));
          }
        });
  }

  /**
   * The straight-through backward pass of {@link #fakeQuantizeRows} for some rows, accumulated:
   * {@code gradInput[r, j] += dy·[qmin ≤ v ≤ qmax]} and {@code gradStep[r] += stepGradScale·Σ_j
   * dy·∂x̂/∂s} ({@code rint(v) − v} inside the grid, {@code q − z} outside: LSQ).
   *
   * @param x the latent values {@code [R, K]}
   * @param gradOut {@code dŴ} of the listed rows, {@code [U, K]} in list order ({@code [R, K]} when
   *     {@code rows} is {@code null})
   * @param rows the rows, strictly increasing, or {@code null} for all
   * @param rowCount {@code R}
   * @param k {@code K}
   * @param step {@code s}, {@code [R]}
   * @param zeroPoint {@code z}, {@code [R]}
   * @param qmin the lowest level
   * @param qmax the highest level
   * @param stepGradScale the LSQ gradient scale {@code 1/sqrt(K·qmax)}, or 0 when the step does not
   *     learn
   * @param gradInput {@code [R, K]}, added to in the listed rows
   * @param gradStep {@code [R]}, added to in the listed rows; {@code null} when the step does not
   *     learn
   */
  public static void fakeQuantizeRowsBackward(
      FloatAccess x,
      FloatAccess gradOut,
      int[] rows,
      int rowCount,
      int k,
      FloatAccess step,
      FloatAccess zeroPoint,
      int qmin,
      int qmax,
      double stepGradScale,
      FloatAccess gradInput,
      FloatAccess gradStep) {
    forRows(
        rows == null ? rowCount : rows.length,
        k,
        i -> {
          int r = rows == null ? i : rows[i];
          float s = step.get(r);
          float z = zeroPoint.get(r);
          float inv = 1f / s;
          double ds = 0;
          long src = (long) i * k;
          long dst = (long) r * k;
          for (int j = 0; j < k; j++) {
            float v = x.get(dst + j) * inv + z;
            float go = gradOut.get(src + j);
            float dx;
            if (v < qmin) {
              dx = 0f;
              ds += go * (qmin - z);
            } else if (v > qmax) {
              dx = 0f;
              ds += go * (qmax - z);
            } else {
              dx = go;
              ds += go * ((float) Math.rint(v) - v);
            }
            gradInput.set(dst + j, gradInput.get(dst + j) + dx);
          }
          if (gradStep != null) {
            gradStep.set(r, gradStep.get(r) + (float) (ds * stepGradScale));
          }
        });
  }

  /**
   * SGD with momentum as PyTorch defines it, on the listed rows: {@code g = ∇ + λ·w}, {@code v =
   * μ·v + g}, {@code w −= lr·(g + μ·v)} (Nesterov) or {@code w −= lr·v}, then {@code w = max(w,
   * minValue)}; in double precision, stored as FP32.
   *
   * @param w the parameter, {@code [R, K]}
   * @param grad its gradient
   * @param velocity the momentum buffer
   * @param rows the rows, strictly increasing, or {@code null} for all
   * @param rowCount {@code R}
   * @param k {@code K}
   * @param lr the learning rate
   * @param momentum {@code μ}
   * @param nesterov Nesterov momentum
   * @param weightDecay {@code λ} (L2, added to the gradient)
   * @param minValue the floor of the updated values ({@code -∞} for none; quantizer steps use a
   *     small positive one)
   */
  public static void sgd(
      FloatAccess w,
      FloatAccess grad,
      FloatAccess velocity,
      int[] rows,
      int rowCount,
      int k,
      double lr,
      double momentum,
      boolean nesterov,
      double weightDecay,
      float minValue) {
    forRows(
        rows == null ? rowCount : rows.length,
        k,
        i -> {
          int r = rows == null ? i : rows[i];
          for (long j = (long) r * k, end = j + k; j < end; j++) {
            float wj = w.get(j);
            double g = grad.get(j) + weightDecay * wj;
            double v = momentum * velocity.get(j) + g;
            velocity.set(j, (float) v);
            double d = nesterov ? g + momentum * v : v;
            w.set(j, Math.max((float) (wj - lr * d), minValue));
          }
        });
  }

  /**
   * AdamW (Loshchilov and Hutter 2019) on the listed rows, with a bias-correction step count per
   * row: {@code m = β1·m + (1−β1)·g}, {@code v = β2·v + (1−β2)·g²}, {@code w −= lr·((m/c1) /
   * (sqrt(v/c2) + ε) + λ·w)} with {@code c1 = 1 − β1^t}, {@code c2 = 1 − β2^t}; then {@code w =
   * max(w, minValue)}; in double precision, stored as FP32.
   *
   * @param w the parameter, {@code [R, K]}
   * @param grad its gradient
   * @param m the first moments
   * @param v the second moments
   * @param rows the rows, strictly increasing, or {@code null} for all
   * @param steps {@code t} of each listed row (of every row when {@code rows} is {@code null}),
   *     this step counted
   * @param rowCount {@code R}
   * @param k {@code K}
   * @param lr the learning rate
   * @param beta1 {@code β1}
   * @param beta2 {@code β2}
   * @param eps {@code ε}
   * @param weightDecay decoupled decay {@code λ}
   * @param minValue the floor of the updated values
   */
  public static void adamw(
      FloatAccess w,
      FloatAccess grad,
      FloatAccess m,
      FloatAccess v,
      int[] rows,
      int[] steps,
      int rowCount,
      int k,
      double lr,
      double beta1,
      double beta2,
      double eps,
      double weightDecay,
      float minValue) {
    forRows(
        rows == null ? rowCount : rows.length,
        k,
        i -> {
          int r = rows == null ? i : rows[i];
          double c1 = 1 - Math.pow(beta1, steps[i]);
          double c2 = 1 - Math.pow(beta2, steps[i]);
          for (long j = (long) r * k, end = j + k; j < end; j++) {
            double g = grad.get(j);
            double mj = beta1 * m.get(j) + (1 - beta1) * g;
            double vj = beta2 * v.get(j) + (1 - beta2) * g * g;
            m.set(j, (float) mj);
            v.set(j, (float) vj);
            float wj = w.get(j);
            double update = (mj / c1) / (Math.sqrt(vj / c2) + eps) + weightDecay * wj;
            w.set(j, Math.max((float) (wj - lr * update), minValue));
          }
        });
  }

  /**
   * AdamW's bias corrections for the listed rows' step counts.
   *
   * @param beta {@code β1} or {@code β2}
   * @param steps {@code t} of each row
   * @return {@code 1 − β^t} of each row
   */
  public static double[] biasCorrections(double beta, int[] steps) {
    double[] c = new double[steps.length];
    for (int i = 0; i < steps.length; i++) {
      c[i] = 1 - Math.pow(beta, steps[i]);
    }
    return c;
  }

  /**
   * @param values the values
   * @param size how many
   * @return the position of the first NaN or infinity, or -1
   */
  public static long firstNonFinite(FloatAccess values, long size) {
    for (long i = 0; i < size; i++) {
      if (!Float.isFinite(values.get(i))) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Checks the arguments every row kernel shares.
   *
   * @param op the operation, for the message
   * @param rowCount {@code R}
   * @param rows the listed rows, or {@code null}
   * @throws IllegalArgumentException naming the first row out of range or out of order
   */
  public static void checkRows(String op, long rowCount, int[] rows) {
    if (rows == null) {
      return;
    }
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] < 0 || rows[i] >= rowCount || (i > 0 && rows[i] <= rows[i - 1])) {
        throw new IllegalArgumentException(
            op
                + ": row "
                + rows[i]
                + " (position "
                + i
                + ") is outside [0, "
                + rowCount
                + ") or not above the row before; expected strictly increasing rows");
      }
    }
  }

  private static void forRows(int count, int k, IntConsumer row) {
    if ((long) count * k >= PARALLEL_WORK && count > 1) {
      IntStream.range(0, count).parallel().forEach(row);
    } else {
      for (int i = 0; i < count; i++) {
        row.accept(i);
      }
    }
  }
}
