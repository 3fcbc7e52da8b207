package org.efqat.backend.nd4j;

import java.util.Arrays;
import org.efqat.api.backend.ConvGeometry;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Direct NHWC convolution on libnd4j's own operations, which its oneDNN build runs as oneDNN
 * kernels: {@code conv2d} forward, {@code deconv2d} (the transposed convolution) for the input
 * gradient, and the weight gradient of the unfrozen rows only as the weight gradient of a
 * transposed convolution ({@code deconv2d_bp}). Weights stay in this project's layout {@code
 * [C_out, kh·kw·c]}, rows in {@code (ky, kx, c)} order, which is libnd4j's weight format 2 ({@code
 * [oC, kH, kW, iC]}) reshaped without a copy; for {@code deconv2d} and {@code deconv2d_bp} the same
 * layout is format 2 read as {@code [iC, kH, kW, oC]} with the roles of the channels swapped.
 *
 * <p>Measured on this 2-core machine at batch 128 on ResNet-20's 32×32×16 layer (README "Speed"):
 * {@code conv2d} 3.4 ms against 27 ms for the Java im2col and OpenBLAS GEMM, {@code deconv2d} 4.3
 * ms against 27 ms for GEMM and the Java col2im, the weight gradient 12-13 ms through {@code
 * deconv2d_bp} against 15-17 ms for a forward {@code conv2d} with the axes exchanged and 27 ms for
 * {@code conv2d_bp}. libnd4j's generic build runs these operations without oneDNN, slower than
 * im2col + GEMM (conv2d 100 ms), so {@link Nd4jBackend} declares direct convolution only on the
 * oneDNN build.
 *
 * <p>Padding: {@link ConvGeometry} pads {@code pad} on every side (PyTorch's convention), which
 * libnd4j's explicit padding ({@code paddingMode} 0) expresses for the forward pass. The transposed
 * convolution with that padding yields {@code s·(oh−1) + k − 2·pad} rows, which is the input height
 * unless the forward pass left input rows at the bottom unread (stride 2 over an even height); then
 * the transposed convolutions run unpadded: the input gradient is cropped from the result, zero
 * where no window reads, and the weight gradient reads a zero-padded copy of the input cut to what
 * the windows span.
 */
final class Nd4jConvolution {
  /** libnd4j: explicit padding, NHWC data, weights {@code [oC, kH, kW, iC]}. */
  private static final int PADDING_EXPLICIT = 0;

  private static final int NHWC = 1;
  private static final int WEIGHTS_OYXI = 2;

  private Nd4jConvolution() {}

  /**
   * @param x {@code [n, h, w, c]}
   * @param weight {@code [C_out, kh·kw·c]}
   * @param bias {@code C_out} values or {@code null}
   * @param g the geometry
   * @param out {@code [n·oh·ow, C_out]}, C-ordered and contiguous, overwritten
   */
  static void forward(INDArray x, INDArray weight, float[] bias, ConvGeometry g, INDArray out) {
    int cout = (int) weight.size(0);
    if (g.n() == 0) {
      return;
    }
    INDArray y = out.reshape('c', g.n(), g.outH(), g.outW(), cout);
    requireView(y, out, "conv2d output");
    INDArray w = filter(weight, g);
    INDArray[] inputs =
        bias == null
            ? new INDArray[] {x, w}
            : new INDArray[] {x, w, Nd4j.createFromArray(bias.clone())};
    DynamicCustomOp.DynamicCustomOpsBuilder op =
        DynamicCustomOp.builder("conv2d").addInputs(inputs);
    Nd4j.exec(op.addOutputs(y).addIntegerArguments(args(g, g.pad())).build());
  }

  /**
   * @param gradOut {@code dY}, {@code [n·oh·ow, C_out]}
   * @param weight {@code W}, {@code [C_out, kh·kw·c]}
   * @param g the geometry
   * @param gradInput {@code dX}, {@code [n, h, w, c]}, overwritten
   */
  static void backwardInput(INDArray gradOut, INDArray weight, ConvGeometry g, INDArray gradInput) {
    if (g.n() == 0) {
      return;
    }
    int cout = (int) weight.size(0);
    INDArray dy = gradOut.reshape('c', g.n(), g.outH(), g.outW(), cout);
    INDArray w = filter(weight, g);
    int fullH = g.stride() * (g.outH() - 1) + g.kh();
    int fullW = g.stride() * (g.outW() - 1) + g.kw();
    if (fullH - 2 * g.pad() == g.h() && fullW - 2 * g.pad() == g.w()) {
      Nd4j.exec(
          DynamicCustomOp.builder("deconv2d")
              .addInputs(dy, w)
              .addOutputs(gradInput)
              .addIntegerArguments(args(g, g.pad()))
              .build());
      return;
    }
    // Unpadded: the gradient of the padded input, [n, fullH, fullW, c]; crop the padding off.
    try (INDArray full = Nd4j.create(DataType.FLOAT, g.n(), fullH, fullW, g.c())) {
      Nd4j.exec(
          DynamicCustomOp.builder("deconv2d")
              .addInputs(dy, w)
              .addOutputs(full)
              .addIntegerArguments(args(g, 0))
              .build());
      int rows = Math.min(g.h(), fullH - g.pad());
      int cols = Math.min(g.w(), fullW - g.pad());
      if (rows < g.h() || cols < g.w()) {
        gradInput.assign(0);
      }
      gradInput
          .get(
              NDArrayIndex.all(),
              NDArrayIndex.interval(0, rows),
              NDArrayIndex.interval(0, cols),
              NDArrayIndex.all())
          .assign(
              full.get(
                  NDArrayIndex.all(),
                  NDArrayIndex.interval(g.pad(), g.pad() + rows),
                  NDArrayIndex.interval(g.pad(), g.pad() + cols),
                  NDArrayIndex.all()));
    }
  }

  /**
   * {@code dW[U] = dY[:, U]ᵀ · im2col(X)} as the weight gradient of a transposed convolution:
   * libnd4j's {@code deconv2d_bp} (oneDNN's deconvolution backward-weights primitive) with {@code
   * dY[:, U]} as the deconvolution's input and {@code X} as its output gradient computes {@code
   * Σ_{n,y,x} dY[n, y, x, u] · X[n, s·y + i − pad, s·x + j − pad, c]}, which is {@code dW[u, i, j,
   * c]} in this project's row layout, with no transposes of {@code X} or {@code dY}. Its input
   * gradient (a forward convolution of {@code X} with zero weights into {@code |U|} channels) is
   * computed too and discarded. The work is proportional to {@code |U|}.
   *
   * @param gradOut {@code dY}, {@code [n·oh·ow, C_out]}
   * @param x {@code X}, {@code [n, h, w, c]}
   * @param g the geometry
   * @param rows {@code U}, strictly increasing, not empty
   * @param gradWeight {@code [C_out, kh·kw·c]}; rows in {@code U} overwritten, the others untouched
   */
  static void backwardWeightRows(
      INDArray gradOut, INDArray x, ConvGeometry g, int[] rows, INDArray gradWeight) {
    int cout = (int) gradWeight.size(0);
    int u = rows.length;
    if (g.n() == 0) {
      for (int r : rows) {
        gradWeight.getRow(r).assign(0);
      }
      return;
    }
    boolean all = u == cout;
    int fullH = g.stride() * (g.outH() - 1) + g.kh(); // the padded input the windows span
    int fullW = g.stride() * (g.outW() - 1) + g.kw();
    boolean exact = fullH - 2 * g.pad() == g.h() && fullW - 2 * g.pad() == g.w();
    INDArray dy = all ? gradOut : Nd4j.pullRows(gradOut, 0, rows);
    INDArray read = exact ? x : spannedInput(x, g, fullH, fullW);
    INDArray dw = // [|U|, kh, kw, c]
        all
            ? gradWeight.reshape('c', cout, g.kh(), g.kw(), g.c())
            : Nd4j.create(DataType.FLOAT, u, g.kh(), g.kw(), g.c());
    if (all) {
      requireView(dw, gradWeight, "weight gradient");
    }
    try (INDArray w = Nd4j.zeros(DataType.FLOAT, u, g.kh(), g.kw(), g.c());
        INDArray unused = Nd4j.create(DataType.FLOAT, g.n(), g.outH(), g.outW(), u)) {
      Nd4j.exec(
          DynamicCustomOp.builder("deconv2d_bp")
              .addInputs(dy.reshape('c', g.n(), g.outH(), g.outW(), u), w, read)
              .addOutputs(unused, dw)
              .addIntegerArguments(args(g, exact ? g.pad() : 0))
              .build());
      if (!all) {
        INDArray flat = dw.reshape('c', u, gradWeight.size(1));
        for (int i = 0; i < u; i++) {
          gradWeight.getRow(rows[i]).assign(flat.getRow(i));
        }
      }
    } finally {
      if (!all) {
        dy.close();
        dw.close();
      }
      if (read != x) {
        read.close();
      }
    }
  }

  /**
   * The input as the windows span it when the forward pass left rows or columns at the bottom or
   * right unread (stride 2 over an even size): {@code [n, fullH, fullW, c]}, the input at offset
   * {@code pad}, zero in the padding, cut where no window reads; a copy.
   */
  private static INDArray spannedInput(INDArray x, ConvGeometry g, int fullH, int fullW) {
    INDArray spanned = Nd4j.zeros(DataType.FLOAT, g.n(), fullH, fullW, g.c());
    int rows = Math.min(g.h(), fullH - g.pad());
    int cols = Math.min(g.w(), fullW - g.pad());
    spanned
        .get(
            NDArrayIndex.all(),
            NDArrayIndex.interval(g.pad(), g.pad() + rows),
            NDArrayIndex.interval(g.pad(), g.pad() + cols),
            NDArrayIndex.all())
        .assign(
            x.get(
                NDArrayIndex.all(),
                NDArrayIndex.interval(0, rows),
                NDArrayIndex.interval(0, cols),
                NDArrayIndex.all()));
    return spanned;
  }

  /** The weights {@code [C_out, kh·kw·c]} as libnd4j's {@code [oC, kH, kW, iC]}, a view. */
  private static INDArray filter(INDArray weight, ConvGeometry g) {
    INDArray f = weight.reshape('c', weight.size(0), g.kh(), g.kw(), g.c());
    requireView(f, weight, "weights");
    return f;
  }

  private static int[] args(ConvGeometry g, int pad) {
    return new int[] {
      g.kh(), g.kw(), g.stride(), g.stride(), pad, pad, 1, 1, PADDING_EXPLICIT, NHWC, WEIGHTS_OYXI
    };
  }

  /** A reshape of a contiguous C-order array is a view; anything else would lose the result. */
  private static void requireView(INDArray view, INDArray of, String what) {
    if (!NioKernels.isContiguous(of)) {
      throw new IllegalStateException(
          what + " " + Arrays.toString(of.shape()) + " must be C-ordered and contiguous");
    }
  }
}
