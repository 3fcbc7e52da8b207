package org.efqat.api.backend;

/**
 * The dense FP32 kernels of a backend. Tensors are row-major; activations are NHWC, so a feature
 * map {@code [n, h, w, c]} is also the matrix {@code [n·h·w, c]} (positions × channels) that linear
 * algebra, BatchNorm and the sparse-row weight gradient work on. Shapes are checked; a mismatch
 * throws {@link IllegalArgumentException} naming the shapes. Outputs are written in place into
 * tensors the caller owns, so hot paths can reuse buffers; an output may be one of the inputs where
 * the method says so.
 *
 * <p>Every method is checked against a double-precision reference by {@code BackendContractTest} in
 * efqat-testkit.
 */
public interface TensorOps {

  // ---- creation and transfer -------------------------------------------------------------

  /**
   * @param data values in row-major order; copied
   * @param shape the shape, product equal to {@code data.length}
   * @return a new tensor
   */
  Tensor fromArray(float[] data, long... shape);

  /**
   * @param shape the shape
   * @return a new tensor of zeros
   */
  Tensor zeros(long... shape);

  /**
   * @param tensor a tensor of this backend
   * @return its values in row-major order; a copy
   */
  float[] toArray(Tensor tensor);

  /**
   * Overwrites a tensor's values (for example the quantized weights of a layer, every step).
   *
   * @param data values in row-major order, {@code tensor.size()} of them
   * @param tensor the destination
   */
  void copyFrom(float[] data, Tensor tensor);

  /**
   * A view with another shape: no copy, and a write through the view (as an output of any
   * operation) is seen through the original and every other view of it, each in its own shape.
   * Closing a view does not release the original.
   *
   * @param tensor a tensor
   * @param shape a shape with the same number of elements
   * @return the view
   */
  Tensor reshape(Tensor tensor, long... shape);

  // ---- matrix products -------------------------------------------------------------------

  /**
   * General matrix multiply {@code c = alpha·op(a)·op(b) + beta·c} for 2-D tensors, where {@code
   * op(m)} is {@code m} or its transpose.
   *
   * @param a {@code [M, K]}, or {@code [K, M]} when {@code transposeA}
   * @param transposeA whether to use {@code aᵀ}
   * @param b {@code [K, N]}, or {@code [N, K]} when {@code transposeB}
   * @param transposeB whether to use {@code bᵀ}
   * @param c {@code [M, N]}, overwritten
   * @param alpha the product's factor
   * @param beta the factor of the previous {@code c}; 0 ignores it (even NaN)
   */
  void gemm(
      Tensor a,
      boolean transposeA,
      Tensor b,
      boolean transposeB,
      Tensor c,
      float alpha,
      float beta);

  /**
   * The sparse-row weight-gradient GEMM of EfQAT (DESIGN.md 1.1): {@code dW[U] = dY[:, U]ᵀ · X} for
   * the unfrozen rows {@code U} only. The frozen rows of {@code dW} are neither computed nor
   * written, so the work is proportional to {@code |U|}.
   *
   * @param gradOut {@code dY}, shape {@code [N, C_out]} (N samples or output positions)
   * @param input {@code X̂}, shape {@code [N, K]}
   * @param rows the unfrozen rows {@code U}, strictly increasing, within {@code [0, C_out)}; may be
   *     empty
   * @param gradWeight {@code dW}, shape {@code [C_out, K]}; rows in {@code U} are overwritten, the
   *     others keep their values bit for bit
   */
  void sparseRowWeightGradient(Tensor gradOut, Tensor input, int[] rows, Tensor gradWeight);

  // ---- convolution helpers (NHWC) --------------------------------------------------------

  /**
   * Unfolds convolution windows into rows (see {@link ConvGeometry} for the layout).
   *
   * @param input {@code [n, h, w, c]}
   * @param geometry the window geometry
   * @param cols {@code [n·oh·ow, kh·kw·c]}, overwritten
   */
  void im2col(Tensor input, ConvGeometry geometry, Tensor cols);

  /**
   * The adjoint of {@link #im2col}: sums every window entry back onto its input position.
   *
   * @param cols {@code [n·oh·ow, kh·kw·c]}
   * @param geometry the window geometry
   * @param gradInput {@code [n, h, w, c]}, overwritten with the sums (0 where no window reads)
   */
  void col2im(Tensor cols, ConvGeometry geometry, Tensor gradInput);

  // ---- direct convolution (optional: BackendCapability.DIRECT_CONVOLUTION) ----------------

  /**
   * Convolution without materialising the im2col rows: {@code Y = im2col(X) · Wᵀ + b}.
   *
   * @param input {@code X}, {@code [n, h, w, c]}
   * @param weight {@code W}, {@code [C_out, kh·kw·c]}, each row in {@code (ky, kx, c)} order
   * @param bias {@code b}, {@code C_out} values added to every output row, or {@code null}
   * @param geometry the window geometry
   * @param out {@code Y}, {@code [n·oh·ow, C_out]} (the NHWC output as rows), overwritten
   * @throws UnsupportedBackendOperationException unless the backend declares {@link
   *     BackendCapability#DIRECT_CONVOLUTION}
   */
  default void conv2d(
      Tensor input, Tensor weight, float[] bias, ConvGeometry geometry, Tensor out) {
    throw new UnsupportedBackendOperationException(getClass().getSimpleName(), "conv2d");
  }

  /**
   * The input gradient of {@link #conv2d}: {@code dX = col2im(dY · W)}.
   *
   * @param gradOut {@code dY}, {@code [n·oh·ow, C_out]}
   * @param weight {@code W}, {@code [C_out, kh·kw·c]}
   * @param geometry the window geometry
   * @param gradInput {@code dX}, {@code [n, h, w, c]}, overwritten
   * @throws UnsupportedBackendOperationException unless the backend declares {@link
   *     BackendCapability#DIRECT_CONVOLUTION}
   */
  default void conv2dBackwardInput(
      Tensor gradOut, Tensor weight, ConvGeometry geometry, Tensor gradInput) {
    throw new UnsupportedBackendOperationException(
        getClass().getSimpleName(), "conv2dBackwardInput");
  }

  /**
   * The EfQAT weight gradient of {@link #conv2d} for the unfrozen rows only: {@code dW[U] = dY[:,
   * U]ᵀ · im2col(X)}, with work proportional to {@code |U|}, as {@link #sparseRowWeightGradient}
   * does for a GEMM.
   *
   * @param gradOut {@code dY}, {@code [n·oh·ow, C_out]}
   * @param input {@code X}, {@code [n, h, w, c]}
   * @param geometry the window geometry
   * @param rows the unfrozen rows {@code U}, strictly increasing; may be empty
   * @param gradWeight {@code dW}, {@code [C_out, kh·kw·c]}; rows in {@code U} are overwritten, the
   *     others keep their values bit for bit
   * @throws UnsupportedBackendOperationException unless the backend declares {@link
   *     BackendCapability#DIRECT_CONVOLUTION}
   */
  default void conv2dBackwardWeightRows(
      Tensor gradOut, Tensor input, ConvGeometry geometry, int[] rows, Tensor gradWeight) {
    throw new UnsupportedBackendOperationException(
        getClass().getSimpleName(), "conv2dBackwardWeightRows");
  }

  // ---- element-wise (same shapes; out may be an input) -----------------------------------

  /**
   * {@code out = a + b}.
   *
   * @param a a tensor
   * @param b a tensor of the same size
   * @param out the result, same size
   */
  void add(Tensor a, Tensor b, Tensor out);

  /**
   * {@code out = max(x, 0)}.
   *
   * @param x a tensor
   * @param out the result, same size
   */
  void relu(Tensor x, Tensor out);

  /**
   * {@code gradInput = gradOut · [output > 0]}.
   *
   * @param output the ReLU's output (or input: the sign is the same)
   * @param gradOut the gradient w.r.t. the output
   * @param gradInput the result, same size; may be {@code gradOut}
   */
  void reluBackward(Tensor output, Tensor gradOut, Tensor gradInput);

  // ---- per-channel (columns of [M, C]) ---------------------------------------------------

  /**
   * @param x {@code [M, C]} (or NHWC {@code [n, h, w, C]})
   * @param out receives {@code Σ_m x[m, c]}, length {@code C}
   */
  void columnSums(Tensor x, float[] out);

  /**
   * @param x {@code [M, C]}
   * @param y {@code [M, C]}
   * @param out receives {@code Σ_m x[m, c]·y[m, c]}, length {@code C}
   */
  void columnDots(Tensor x, Tensor y, float[] out);

  /**
   * {@code out[m, c] = x[m, c]·scale[c] + shift[c]} (bias add, BatchNorm).
   *
   * @param x {@code [M, C]}
   * @param scale length {@code C}
   * @param shift length {@code C}
   * @param out {@code [M, C]}; may be {@code x}
   */
  void columnAffine(Tensor x, float[] scale, float[] shift, Tensor out);

  /**
   * {@code out[m, c] = x[m, c]·xScale[c] + y[m, c]·yScale[c] + shift[c]} (BatchNorm backward).
   *
   * @param x {@code [M, C]}
   * @param xScale length {@code C}
   * @param y {@code [M, C]}
   * @param yScale length {@code C}
   * @param shift length {@code C}
   * @param out {@code [M, C]}; may be {@code x} or {@code y}
   */
  void columnAffine2(Tensor x, float[] xScale, Tensor y, float[] yScale, float[] shift, Tensor out);

  // ---- pooling (NHWC) --------------------------------------------------------------------

  /**
   * @param input {@code [n, h, w, c]}
   * @param out {@code [n, c]}: the mean over {@code h·w}
   */
  void globalAvgPool(Tensor input, Tensor out);

  /**
   * @param gradOut {@code [n, c]}
   * @param gradInput {@code [n, h, w, c]}, overwritten with {@code gradOut / (h·w)} everywhere
   */
  void globalAvgPoolBackward(Tensor gradOut, Tensor gradInput);

  /**
   * Max pooling (padding never wins: padded positions count as −∞).
   *
   * @param input {@code [n, h, w, c]}
   * @param geometry the window ({@code geometry.c()} is the channel count)
   * @param out {@code [n, oh, ow, c]}
   */
  void maxPool(Tensor input, ConvGeometry geometry, Tensor out);

  /**
   * The gradient of {@link #maxPool}: each output gradient goes to the first maximum of its window
   * (row-major window order).
   *
   * @param input the forward input {@code [n, h, w, c]}
   * @param gradOut {@code [n, oh, ow, c]}
   * @param geometry the window
   * @param gradInput {@code [n, h, w, c]}, overwritten
   */
  void maxPoolBackward(Tensor input, Tensor gradOut, ConvGeometry geometry, Tensor gradInput);

  /**
   * Average pooling; padded positions count as zeros and every window divides by {@code kh·kw}
   * (PyTorch's {@code count_include_pad=True}).
   *
   * @param input {@code [n, h, w, c]}
   * @param geometry the window ({@code geometry.c()} is the channel count)
   * @param out {@code [n, oh, ow, c]}
   */
  void avgPool(Tensor input, ConvGeometry geometry, Tensor out);

  /**
   * The gradient of {@link #avgPool}: each output gradient is spread evenly, {@code 1/(kh·kw)} per
   * window position, onto the input positions its window covers.
   *
   * @param gradOut {@code [n, oh, ow, c]}
   * @param geometry the window
   * @param gradInput {@code [n, h, w, c]}, overwritten
   */
  void avgPoolBackward(Tensor gradOut, ConvGeometry geometry, Tensor gradInput);

  // ---- Transformer kernels (last dimension = features) --------------------------------------

  /**
   * Batched general matrix multiply {@code c[i] = alpha·op(a[i])·op(b[i]) + beta·c[i]} for 3-D
   * tensors, one independent product per batch index {@code i} (attention's {@code Q·Kᵀ} and {@code
   * P·V}, pooling).
   *
   * @param a {@code [B, M, K]}, or {@code [B, K, M]} when {@code transposeA}
   * @param transposeA whether to use {@code a[i]ᵀ}
   * @param b {@code [B, K, N]}, or {@code [B, N, K]} when {@code transposeB}
   * @param transposeB whether to use {@code b[i]ᵀ}
   * @param c {@code [B, M, N]}, overwritten
   * @param alpha the product's factor
   * @param beta the factor of the previous {@code c}; 0 ignores it (even NaN)
   */
  void batchedGemm(
      Tensor a,
      boolean transposeA,
      Tensor b,
      boolean transposeB,
      Tensor c,
      float alpha,
      float beta);

  /**
   * Swaps the two middle axes: {@code out[a, c, b, d] = x[a, b, c, d]} (splitting {@code [B, L,
   * heads, d]} into per-head {@code [B, heads, L, d]} and merging back).
   *
   * @param x {@code [A, B, C, D]}
   * @param out {@code [A, C, B, D]}, overwritten; never {@code x}
   */
  void swapMiddleAxes(Tensor x, Tensor out);

  /**
   * Row gather (embedding lookup): {@code out[i, :] = table[indices[i], :]}.
   *
   * @param table {@code [V, D]}
   * @param indices {@code n} row numbers within {@code [0, V)}; repeats allowed
   * @param out {@code [n, D]}, overwritten
   */
  void gatherRows(Tensor table, int[] indices, Tensor out);

  /**
   * The adjoint of {@link #gatherRows}: {@code table[indices[i], :] += src[i, :]} for every {@code
   * i}; repeated indices accumulate, rows not named keep their values bit for bit.
   *
   * @param src {@code [n, D]}
   * @param indices {@code n} row numbers within {@code [0, V)}
   * @param table {@code [V, D]}, accumulated into
   */
  void scatterAddRows(Tensor src, int[] indices, Tensor table);

  /**
   * Element-wise product {@code out = a·b} (dropout masks, gates).
   *
   * @param a a tensor
   * @param b a tensor of the same size
   * @param out the result, same size; may be {@code a} or {@code b}
   */
  void multiply(Tensor a, Tensor b, Tensor out);

  /**
   * The exact GELU of BERT, {@code out = x·Φ(x) = x/2·(1 + erf(x/√2))}.
   *
   * @param x a tensor
   * @param out the result, same size; may be {@code x}
   */
  void gelu(Tensor x, Tensor out);

  /**
   * {@code gradInput = gradOut·(Φ(x) + x·φ(x))} with {@code φ} the standard normal density.
   *
   * @param x the forward input
   * @param gradOut the gradient w.r.t. the output
   * @param gradInput the result, same size; may be {@code gradOut}
   */
  void geluBackward(Tensor x, Tensor gradOut, Tensor gradInput);

  /**
   * Normalizes every row of {@code [M, D]} to zero mean and unit variance (LayerNorm without its
   * affine part, which is {@link #columnAffine}): {@code out[m, :] = (x[m, :] − μ_m)·r_m} with
   * {@code μ_m} the row mean, {@code σ²_m} the biased row variance and {@code r_m = 1/√(σ²_m +
   * eps)}.
   *
   * @param x {@code [M, D]} (or any shape whose last dimension is {@code D})
   * @param eps added to the variance, for example {@code 1e-12} (BERT)
   * @param out the normalized rows {@code x̂}, same shape; may be {@code x}
   * @param invStd receives {@code r_m}, shape {@code [M]}
   */
  void normalizeRows(Tensor x, float eps, Tensor out, Tensor invStd);

  /**
   * The input gradient of {@link #normalizeRows}: {@code dx[m, :] = r_m·(g − mean(g) −
   * x̂·mean(g·x̂))} per row, where {@code g} is the gradient w.r.t. {@code x̂}.
   *
   * @param normalized the forward output {@code x̂}, {@code [M, D]}
   * @param invStd the forward {@code r}, {@code [M]}
   * @param gradNormalized {@code g}, {@code [M, D]}
   * @param gradInput {@code dx}, {@code [M, D]}, overwritten; may be {@code gradNormalized}
   */
  void normalizeRowsBackward(
      Tensor normalized, Tensor invStd, Tensor gradNormalized, Tensor gradInput);

  /**
   * The masked softmax of attention over the last axis: {@code out[b, h, i, j] = mask[b, j]·exp(s −
   * m)/Σ_j' mask[b, j']·exp(s' − m)} with {@code s = scores[b, h, i, j]} and {@code m} the row's
   * largest unmasked score. Masked keys get exactly 0; every batch element must have at least one
   * unmasked key.
   *
   * @param scores {@code [B, H, L_q, L_k]}
   * @param keyMask {@code [B, L_k]}: 1 where the key is a token, 0 where it is padding
   * @param out the probabilities, same shape as {@code scores}; may be {@code scores}
   */
  void maskedSoftmax(Tensor scores, Tensor keyMask, Tensor out);

  /**
   * The gradient of a softmax over the last axis: {@code dx = p·(dy − Σ_j p·dy)} per row, which is
   * also {@link #maskedSoftmax}'s (masked entries have {@code p = 0}).
   *
   * @param probs the softmax output {@code p}, {@code [..., L]}
   * @param gradOut {@code dy}, same shape
   * @param gradInput {@code dx}, same shape, overwritten; may be {@code gradOut}
   */
  void softmaxBackward(Tensor probs, Tensor gradOut, Tensor gradInput);

  // ---- fake quantization (per tensor, DESIGN.md 1.1) -------------------------------------

  /**
   * {@code out = s·(clamp(rint(v), qmin, qmax) − z)} with {@code v = x·(1/s) + z}, rounding half to
   * even. Every backend computes {@code v} exactly so: the reciprocal rounded to FP32 once, then an
   * FP32 multiply and an FP32 add (no division, no fused multiply-add), so that backends agree bit
   * for bit on which values lie inside the grid.
   *
   * @param x a tensor
   * @param step {@code s > 0}
   * @param zeroPoint {@code z}, in grid units
   * @param qmin the lowest level
   * @param qmax the highest level
   * @param out the result, same size; may be {@code x}
   */
  void fakeQuantize(Tensor x, float step, float zeroPoint, int qmin, int qmax, Tensor out);

  /**
   * The straight-through backward pass of {@link #fakeQuantize} with {@code v = x·(1/s) + z}:
   * {@code dx = dy·[qmin ≤ v ≤ qmax]}, and the unscaled sums {@code Σ dy·∂x̂/∂s} ({@code rint(v) −
   * v} inside, {@code q − z} outside) and {@code Σ dy·∂x̂/∂z} ({@code 0} inside, {@code −s}
   * outside).
   *
   * @param x the forward input
   * @param gradOut {@code dy}
   * @param step {@code s}
   * @param zeroPoint {@code z}
   * @param qmin the lowest level
   * @param qmax the highest level
   * @param gradInput {@code dx}, same size; may be {@code gradOut}
   * @return {@code {Σ dy·∂x̂/∂s, Σ dy·∂x̂/∂z}}
   */
  float[] fakeQuantizeBackward(
      Tensor x, Tensor gradOut, float step, float zeroPoint, int qmin, int qmax, Tensor gradInput);

  /**
   * @param x a non-empty tensor
   * @return {@code {min(x), max(x)}}
   */
  float[] minMax(Tensor x);

  // ---- parameters resident on the backend (issue 13) -------------------------------------
  //
  // A parameter of shape [R, ...] has R rows of K = size/R values; see ParameterKernels. The
  // kernels run in place on the tensors' storage where the backend grants hostAccess, so a training
  // step moves no parameter between the Java heap and the backend; otherwise they copy the tensors
  // to the heap and back (the reference behaviour, same bits).

  /**
   * In-place access to a tensor's values for the parameter kernels.
   *
   * @param tensor a tensor of this backend
   * @return access to its storage, valid until the next operation on it, or {@code null} (the
   *     default) when the backend grants none
   */
  default FloatAccess hostAccess(Tensor tensor) {
    return null;
  }

  /**
   * Sets every element.
   *
   * @param tensor the tensor
   * @param value the value
   */
  default void fill(Tensor tensor, float value) {
    float[] v = new float[Math.toIntExact(tensor.size())];
    java.util.Arrays.fill(v, value);
    copyFrom(v, tensor);
  }

  /**
   * Draws an inverted-dropout mask ({@link DropoutMasks}): each element {@code 0} with probability
   * {@code p}, else {@code 1/(1 − p)}; the same bits on every backend for the same seed.
   *
   * @param out the mask, overwritten
   * @param seed the draw's seed
   * @param probability {@code p} in {@code [0, 1)}
   */
  default void dropoutMask(Tensor out, long seed, float probability) {
    HostView o = HostView.write(this, out);
    DropoutMasks.fill(o.access(), out.size(), seed, probability);
    o.commit();
  }

  /**
   * @param tensor a tensor
   * @return the row-major position of its first NaN or infinity, or -1 when every value is finite
   */
  default long firstNonFinite(Tensor tensor) {
    HostView t = HostView.read(this, tensor);
    return ParameterKernels.firstNonFinite(t.access(), tensor.size());
  }

  /**
   * Per-row fake quantization of a weight matrix ({@link ParameterKernels#fakeQuantizeRows}).
   *
   * @param x the latent weights {@code [R, K]}
   * @param step {@code [R]}
   * @param zeroPoint {@code [R]}
   * @param qmin the lowest level
   * @param qmax the highest level
   * @param out {@code [R, K]}; may be {@code x}
   */
  default void fakeQuantizeRows(
      Tensor x, Tensor step, Tensor zeroPoint, int qmin, int qmax, Tensor out) {
    int rows = ParameterRows.checkGroups("fakeQuantizeRows", x, step, zeroPoint, out);
    HostView o = HostView.write(this, out);
    ParameterKernels.fakeQuantizeRows(
        HostView.read(this, x).access(),
        HostView.read(this, step).access(),
        HostView.read(this, zeroPoint).access(),
        rows,
        (int) (x.size() / rows),
        qmin,
        qmax,
        o.access());
    o.commit();
  }

  /**
   * The straight-through and LSQ backward pass of {@link #fakeQuantizeRows} for some rows, added to
   * the gradients ({@link ParameterKernels#fakeQuantizeRowsBackward}).
   *
   * @param x the latent weights {@code [R, K]}
   * @param gradOut {@code dŴ} of the listed rows {@code [U, K]} ({@code [R, K]} for all rows)
   * @param rows the rows, strictly increasing, or {@code null} for all
   * @param step {@code [R]}
   * @param zeroPoint {@code [R]}
   * @param qmin the lowest level
   * @param qmax the highest level
   * @param stepGradScale the LSQ scale of the step gradient
   * @param gradInput {@code [R, K]}, added to
   * @param gradStep {@code [R]}, added to, or {@code null}
   */
  default void fakeQuantizeRowsBackward(
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
    int r = ParameterRows.checkBackward(x, gradOut, rows, step, zeroPoint, gradInput, gradStep);
    HostView dx = HostView.update(this, gradInput);
    HostView ds = gradStep == null ? null : HostView.update(this, gradStep);
    ParameterKernels.fakeQuantizeRowsBackward(
        HostView.read(this, x).access(),
        HostView.read(this, gradOut).access(),
        rows,
        r,
        (int) (x.size() / r),
        HostView.read(this, step).access(),
        HostView.read(this, zeroPoint).access(),
        qmin,
        qmax,
        stepGradScale,
        dx.access(),
        ds == null ? null : ds.access());
    dx.commit();
    if (ds != null) {
      ds.commit();
    }
  }

  /**
   * The row-masked SGD update ({@link ParameterKernels#sgd}), in place.
   *
   * @param w the parameter
   * @param grad its gradient, same size
   * @param velocity the momentum buffer, same size
   * @param rows the rows, strictly increasing, or {@code null} for all
   * @param lr the learning rate
   * @param momentum {@code μ}
   * @param nesterov Nesterov momentum
   * @param weightDecay L2 decay {@code λ}
   * @param minValue the floor of the updated values
   */
  default void sgdUpdate(
      Tensor w,
      Tensor grad,
      Tensor velocity,
      int[] rows,
      double lr,
      double momentum,
      boolean nesterov,
      double weightDecay,
      float minValue) {
    int r = ParameterRows.checkUpdate("sgdUpdate", w, rows, grad, velocity);
    HostView wv = HostView.update(this, w);
    HostView v = HostView.update(this, velocity);
    ParameterKernels.sgd(
        wv.access(),
        HostView.read(this, grad).access(),
        v.access(),
        rows,
        r,
        (int) (w.size() / r),
        lr,
        momentum,
        nesterov,
        weightDecay,
        minValue);
    wv.commit();
    v.commit();
  }

  /**
   * The row-masked AdamW update ({@link ParameterKernels#adamw}), in place.
   *
   * @param w the parameter
   * @param grad its gradient, same size
   * @param m the first moments, same size
   * @param v the second moments, same size
   * @param rows the rows, strictly increasing, or {@code null} for all
   * @param steps the bias-correction step count of each listed row (every row for {@code null})
   * @param lr the learning rate
   * @param beta1 {@code β1}
   * @param beta2 {@code β2}
   * @param eps {@code ε}
   * @param weightDecay decoupled decay {@code λ}
   * @param minValue the floor of the updated values
   */
  default void adamwUpdate(
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
    int r = ParameterRows.checkUpdate("adamwUpdate", w, rows, grad, m, v);
    ParameterRows.checkSteps(r, rows, steps);
    HostView wv = HostView.update(this, w);
    HostView mv = HostView.update(this, m);
    HostView vv = HostView.update(this, v);
    ParameterKernels.adamw(
        wv.access(),
        HostView.read(this, grad).access(),
        mv.access(),
        vv.access(),
        rows,
        steps,
        r,
        (int) (w.size() / r),
        lr,
        beta1,
        beta2,
        eps,
        weightDecay,
        minValue);
    wv.commit();
    mv.commit();
    vv.commit();
  }
}
