package org.efqat.backend.nd4j;

import org.efqat.api.backend.ConvGeometry;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Rint;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The kernels {@link NioKernels} runs as Java loops over host buffers, composed of ND4J operations
 * instead, so that on ND4J's CUDA build they run on the GPU with no host round trip (issue 13, item
 * 3): activation fake quantization and its straight-through/LSQ backward pass, max and average
 * pooling and their backward passes (libnd4j's {@code maxpool2d}, {@code avgpool2d} and their
 * {@code _bp} ops, NHWC), and the per-channel scale/shift and dot products of an unfolded
 * BatchNorm. {@link Nd4jTensorOps} uses them on the CUDA build; on the CPU builds the Java loops
 * are faster (README "Speed": fake quantization's backward pass 2.7-3.1 ms in Java against 17-18 ms
 * composed on 2.1 M values), and {@code Nd4jDeviceOpsContractTest} runs the shared backend contract
 * on these kernels there.
 *
 * <p>Element-wise results are the Java loops' bits (the same FP32 operations in the same order,
 * each a separate pass, so nothing is fused); sums are ND4J's reductions, equal to the loops'
 * double accumulation within FP32 rounding.
 */
final class DeviceOpKernels {
  /** libnd4j pooling: explicit padding, average over the whole window (padding counted), NHWC. */
  private static final int EXPLICIT = 0;

  private static final int AVERAGE_INCLUDES_PADDING = 1;
  private static final int NHWC = 1;

  private DeviceOpKernels() {}

  /**
   * {@code out = s·(clamp(rint(x·(1/s) + z), qmin, qmax) − z)}.
   *
   * @param x any shape
   * @param s the step, positive
   * @param z the zero point, in grid units
   * @param qmin the lowest level
   * @param qmax the highest level
   * @param out the shape of {@code x}; may be {@code x}
   */
  static void fakeQuantize(INDArray x, float s, float z, int qmin, int qmax, INDArray out) {
    grid(x, 1f / s, z, out);
    Nd4j.exec(new Rint(out, out));
    clamp(out, qmin, qmax);
    out.subi(z).muli(s);
  }

  /**
   * The backward pass of {@link #fakeQuantize}: {@code dx = dy} inside the grid, 0 outside, and the
   * LSQ sums {@code Σ dy·∂x̂/∂s} ({@code rint(v) − v} inside, {@code qmin − z} or {@code qmax − z}
   * outside) and {@code Σ dy·∂x̂/∂z} ({@code −s} outside, 0 inside).
   *
   * @return {@code {dL/ds, dL/dz}} before any gradient scale
   */
  static float[] fakeQuantizeBackward(
      INDArray x, INDArray gradOut, float s, float z, int qmin, int qmax, INDArray gradInput) {
    try (INDArray v = Nd4j.create(DataType.FLOAT, x.shape());
        INDArray rounding = Nd4j.create(DataType.FLOAT, x.shape());
        INDArray product = Nd4j.create(DataType.FLOAT, x.shape())) {
      grid(x, 1f / s, z, v);
      Nd4j.exec(new Rint(v, rounding));
      rounding.subi(v); // rint(v) − v
      double outBelow;
      double outAbove;
      try (INDArray below = mask(v, true, qmin);
          INDArray above = mask(v, false, qmax)) {
        outBelow = gradOut.mul(below, product).sumNumber().doubleValue();
        outAbove = gradOut.mul(above, product).sumNumber().doubleValue();
        v.assign(1f).subi(below).subi(above); // inside = 1 − below − above, into v
      }
      rounding.muli(v).muli(gradOut);
      double inside = rounding.sumNumber().doubleValue();
      gradOut.mul(v, gradInput);
      double ds = outBelow * (qmin - z) + outAbove * (qmax - z) + inside;
      double dz = -(outBelow + outAbove) * s;
      return new float[] {(float) ds, (float) dz};
    }
  }

  /**
   * @param v grid values
   * @param below {@code v < level} if true, {@code v > level} if false
   * @param level the grid level
   * @return the comparison as FP32 ones and zeros, a new array
   */
  static INDArray mask(INDArray v, boolean below, int level) {
    try (INDArray bool = below ? v.lt(level) : v.gt(level)) {
      return bool.castTo(DataType.FLOAT);
    }
  }

  /**
   * Max pooling, libnd4j's {@code maxpool2d}; padding never wins.
   *
   * @param input {@code [n, h, w, c]}
   * @param g the window geometry
   * @param out {@code [n, oh, ow, c]}
   */
  static void maxPool(INDArray input, ConvGeometry g, INDArray out) {
    Nd4j.exec(
        DynamicCustomOp.builder("maxpool2d")
            .addInputs(input)
            .addOutputs(out)
            .addIntegerArguments(poolArgs(g, 0))
            .build());
  }

  /**
   * The gradient of {@link #maxPool}: each window's gradient to its maximum.
   *
   * @param input {@code [n, h, w, c]}
   * @param gradOut {@code [n, oh, ow, c]}
   * @param g the window geometry
   * @param gradInput {@code [n, h, w, c]}, overwritten
   */
  static void maxPoolBackward(
      INDArray input, INDArray gradOut, ConvGeometry g, INDArray gradInput) {
    Nd4j.exec(
        DynamicCustomOp.builder("maxpool2d_bp")
            .addInputs(input, gradOut)
            .addOutputs(gradInput)
            .addIntegerArguments(poolArgs(g, 0))
            .build());
  }

  /**
   * Average pooling over the whole {@code kh·kw} window, padding counted as zeros.
   *
   * @param input {@code [n, h, w, c]}
   * @param g the window geometry
   * @param out {@code [n, oh, ow, c]}
   */
  static void avgPool(INDArray input, ConvGeometry g, INDArray out) {
    Nd4j.exec(
        DynamicCustomOp.builder("avgpool2d")
            .addInputs(input)
            .addOutputs(out)
            .addIntegerArguments(poolArgs(g, AVERAGE_INCLUDES_PADDING))
            .build());
  }

  /**
   * The gradient of {@link #avgPool}.
   *
   * @param gradOut {@code [n, oh, ow, c]}
   * @param g the window geometry
   * @param gradInput {@code [n, h, w, c]}, overwritten
   */
  static void avgPoolBackward(INDArray gradOut, ConvGeometry g, INDArray gradInput) {
    try (INDArray shapeOnly = Nd4j.create(DataType.FLOAT, g.inputShape())) {
      Nd4j.exec(
          DynamicCustomOp.builder("avgpool2d_bp")
              .addInputs(shapeOnly, gradOut)
              .addOutputs(gradInput)
              .addIntegerArguments(poolArgs(g, AVERAGE_INCLUDES_PADDING))
              .build());
    }
  }

  /**
   * {@code out[c] = Σ_m x[m, c]·y[m, c]}.
   *
   * @param x {@code [M, C]}
   * @param y {@code [M, C]}
   * @param out {@code C} sums, overwritten
   */
  static void columnDots(INDArray x, INDArray y, float[] out) {
    try (INDArray product = x.mul(y);
        INDArray sums = product.sum(0)) {
      float[] s = sums.toFloatVector();
      System.arraycopy(s, 0, out, 0, out.length);
    }
  }

  /**
   * {@code out[m, c] = x[m, c]·xs[c] + shift[c] + y[m, c]·ys[c]}; {@code y} may be null.
   *
   * @param x {@code [M, C]}
   * @param xs {@code C} scales
   * @param y {@code [M, C]} or null
   * @param ys {@code C} scales of {@code y}, or null
   * @param shift {@code C} shifts
   * @param out {@code [M, C]}
   */
  static void columnAffine(
      INDArray x, float[] xs, INDArray y, float[] ys, float[] shift, INDArray out) {
    try (INDArray scale = Nd4j.createFromArray(xs.clone());
        INDArray offset = Nd4j.createFromArray(shift.clone())) {
      Nd4j.exec(new BroadcastMulOp(x, scale, out, 1));
      Nd4j.exec(new BroadcastAddOp(out, offset, out, 1));
      if (y != null) {
        try (INDArray yScale = Nd4j.createFromArray(ys.clone());
            INDArray scaled = Nd4j.create(DataType.FLOAT, y.shape())) {
          Nd4j.exec(new BroadcastMulOp(y, yScale, scaled, 1));
          out.addi(scaled);
        }
      }
    }
  }

  /** {@code out = x·inv + z}, two passes, as the Java loop rounds it. */
  private static void grid(INDArray x, float inv, float z, INDArray out) {
    x.mul(inv, out);
    out.addi(z);
  }

  private static void clamp(INDArray a, int lo, int hi) {
    Transforms.max(a, lo, false);
    Transforms.min(a, hi, false);
  }

  private static int[] poolArgs(ConvGeometry g, int extra) {
    return new int[] {
      g.kh(), g.kw(), g.stride(), g.stride(), g.pad(), g.pad(), 1, 1, EXPLICIT, extra, NHWC
    };
  }
}
