package org.efqat.core.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.BackendCapability;
import org.efqat.api.backend.ConvGeometry;
import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;
import org.efqat.api.quant.QuantGrid;
import org.efqat.api.quant.QuantParams;
import org.efqat.api.quant.Quantizer;
import org.efqat.core.profile.LayerProfiler;

/**
 * A convolution ({@link Conv2d}) or fully connected layer ({@link Linear}) computed as a GEMM over
 * im2col rows, with optional fake quantization of its weights and inputs (DESIGN.md 1.1):
 *
 * <pre>
 *   forward   X̂ = q_x(X),  C = im2col(X̂) [M, K],  Ŵ = q_w(W) [C_out, K],  Y = C·Ŵᵀ + b   [M, C_out]
 *   backward  db = Σ_m dY,  dŴ[U] = dY[:, U]ᵀ·C   (unfrozen rows U only),
 *             dX̂ = col2im(dY·Ŵ),  dX = q_x'(dX̂),  dW[U], ds_w[U] = q_w'(dŴ[U])
 * </pre>
 *
 * On a backend with {@link BackendCapability#DIRECT_CONVOLUTION} a convolution (other than a
 * pointwise one, which is a plain GEMM) skips the im2col rows: {@code TensorOps.conv2d} with the
 * bias, {@code conv2dBackwardInput} for {@code dX̂} and {@code conv2dBackwardWeightRows} for {@code
 * dŴ[U]} compute the same quantities from {@code X̂} directly.
 *
 * <p>Weights are stored {@code [C_out, K]} with {@code K = kh·kw·C_in} in {@code (ky, kx, c_in)}
 * order; PyTorch's {@code [C_out, C_in, kh, kw]} is converted when checkpoints are read or written.
 * Rows outside {@link #unfrozenRows()} get no weight gradient and no step gradient.
 *
 * <p>Hooks for reconstruction-based PTQ ({@code org.efqat.core.ptq.LayerwiseReconstruction}):
 * {@link #setQuantizationBypassed} runs a quantized layer in full precision for a while, and {@link
 * #forwardWithWeights} / {@link #weightGradientOf} run the layer on a stored input with weights
 * given by the caller and return the full {@code dW = dYᵀ·C} through the same im2col, direct
 * convolution and GEMM paths as {@link #forward} and {@link #backward}.
 */
public abstract class WeightLayer implements Layer {
  private final String name;
  private final int inChannels;
  private final int outChannels;
  private final int kernel;
  private final int stride;
  private final int pad;
  private final Parameter weight;
  private Parameter bias;
  private final TensorCache cache;
  private boolean inputGradNeeded = true;
  private LayerProfiler profiler;

  private LayerQuantization quantization;
  private Parameter weightStep;
  private Parameter weightZero;
  private Parameter inputStep;
  private Parameter inputZero;

  private java.util.function.Consumer<Activation> inputObserver;
  private boolean bypassed;
  private int[] unfrozen; // null: every row
  private Activation lastInput;
  private Tensor lastCols; // im2col rows of X̂, or X̂ itself [n, h, w, c] when convolving directly
  private Tensor lastWeights; // Ŵ of the last forward pass [C_out, K]
  private ConvGeometry lastGeometry;
  private float[] quantizedWeights;
  private float[] ones;

  WeightLayer(
      Backend backend,
      String name,
      int inChannels,
      int outChannels,
      int kernel,
      int stride,
      int pad,
      boolean withBias,
      float[] weights) {
    this.name = name;
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernel = kernel;
    this.stride = stride;
    this.pad = pad;
    this.cache = new TensorCache(backend);
    this.weight =
        new Parameter(
            name + ".weight",
            ParamKind.WEIGHT,
            weights,
            outChannels,
            (long) kernel * kernel * inChannels);
    if (withBias) {
      bias = new Parameter(name + ".bias", ParamKind.BIAS, new float[outChannels], outChannels);
    }
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * @return {@code C_in}
   */
  public int inChannels() {
    return inChannels;
  }

  /**
   * @return {@code C_out}, the number of weight rows
   */
  public int outChannels() {
    return outChannels;
  }

  /**
   * @return the square kernel size
   */
  public int kernel() {
    return kernel;
  }

  /**
   * @return the stride of the window (1 for {@link Linear})
   */
  public int stride() {
    return stride;
  }

  /**
   * @return the zero padding on each side (0 for {@link Linear})
   */
  public int pad() {
    return pad;
  }

  /**
   * @return the latent FP weights {@code [C_out, kh·kw·C_in]}
   */
  public Parameter weight() {
    return weight;
  }

  /**
   * @return the bias, or {@code null}
   */
  public Parameter bias() {
    return bias;
  }

  /**
   * Adds a zero bias {@code <name>.bias [C_out]} if the layer has none (BatchNorm folding, PTQ bias
   * correction). The bias joins {@link #parameters()} where a bias built with the layer would be,
   * so the network's checkpoints gain that tensor: a network whose layers gained a bias loads only
   * checkpoints written after the same change (which is why a session calibrates, folding and
   * refining, before it loads a quantized checkpoint).
   *
   * @return the bias, new or existing
   */
  public Parameter ensureBias() {
    if (bias == null) {
      bias = new Parameter(name + ".bias", ParamKind.BIAS, new float[outChannels], outChannels);
    }
    return bias;
  }

  /**
   * @return the quantizers, or {@code null} while the layer is full precision
   */
  public LayerQuantization quantization() {
    return quantization;
  }

  /**
   * @return {@code <name>.weight_step}, or {@code null} while full precision
   */
  public Parameter weightStep() {
    return weightStep;
  }

  /**
   * @return {@code <name>.weight_zero_point} (a buffer, all 0 for symmetric grids), or {@code null}
   *     while full precision
   */
  public Parameter weightZeroPoint() {
    return weightZero;
  }

  /**
   * @return {@code <name>.input_step}, or {@code null} while full precision
   */
  public Parameter inputStep() {
    return inputStep;
  }

  /**
   * @return {@code <name>.input_zero_point}, or {@code null} while full precision
   */
  public Parameter inputZeroPoint() {
    return inputZero;
  }

  /**
   * Turns on fake quantization with calibrated parameters (PTQ, DESIGN.md 1.3).
   *
   * @param q the quantizers
   * @param weightParams per-row weight parameters ({@code C_out} groups)
   * @param inputParams per-tensor input parameters (1 group)
   */
  public void quantize(LayerQuantization q, QuantParams weightParams, QuantParams inputParams) {
    if (weightParams.groups() != outChannels || inputParams.groups() != 1) {
      throw new IllegalArgumentException(
          name
              + ": expected "
              + outChannels
              + " weight groups and 1 input group, got "
              + weightParams.groups()
              + " and "
              + inputParams.groups());
    }
    this.quantization = q;
    weightStep =
        new Parameter(
            name + ".weight_step", ParamKind.WEIGHT_STEP, weightParams.step().clone(), outChannels);
    weightZero =
        new Parameter(
            name + ".weight_zero_point",
            ParamKind.BUFFER,
            weightParams.zeroPoint().clone(),
            outChannels);
    inputStep =
        new Parameter(
            name + ".input_step", ParamKind.ACTIVATION_STEP, inputParams.step().clone(), 1);
    inputZero =
        new Parameter(
            name + ".input_zero_point",
            ParamKind.ACTIVATION_ZERO_POINT,
            inputParams.zeroPoint().clone(),
            1);
    setUnfrozenRows(unfrozen);
  }

  /**
   * @return the rows that train, or {@code null} when all do
   */
  public int[] unfrozenRows() {
    return unfrozen == null ? null : unfrozen.clone();
  }

  /**
   * @param rows the rows that get a weight gradient, strictly increasing; {@code null} for all
   */
  public void setUnfrozenRows(int[] rows) {
    unfrozen = rows == null ? null : rows.clone();
    weight.setActiveRows(unfrozen);
    if (weightStep != null) {
      weightStep.setActiveRows(unfrozen);
    }
  }

  /**
   * @param observer sees every input batch before quantization (PTQ calibration), or {@code null}
   */
  public void setInputObserver(java.util.function.Consumer<Activation> observer) {
    this.inputObserver = observer;
  }

  /**
   * Runs the layer in full precision while {@code true}: neither its weights nor its inputs are
   * fake-quantized (the quantizers and their parameters are kept), and backward is that of the FP
   * layer. Used to capture full-precision inputs and outputs during PTQ refinements; see {@link
   * Network#setQuantizationBypassed}.
   *
   * @param bypassed whether to skip fake quantization
   */
  public void setQuantizationBypassed(boolean bypassed) {
    this.bypassed = bypassed;
  }

  /**
   * @return whether fake quantization is currently skipped
   */
  public boolean isQuantizationBypassed() {
    return bypassed;
  }

  /**
   * @return whether this pass fake-quantizes (quantized and not bypassed)
   */
  private boolean quantizing() {
    return quantization != null && !bypassed;
  }

  @Override
  public void setInputGradNeeded(boolean needed) {
    inputGradNeeded = needed;
  }

  @Override
  public void setProfiler(LayerProfiler profiler) {
    this.profiler = profiler;
  }

  /**
   * @param in the input shape
   * @return the window geometry for it
   */
  ConvGeometry geometry(FeatureShape in) {
    if (in.c() != inChannels) {
      throw new IllegalArgumentException(
          name + ": input " + in + " has " + in.c() + " channels, expected " + inChannels);
    }
    return new ConvGeometry(in.n(), in.h(), in.w(), in.c(), kernel, kernel, stride, pad);
  }

  private boolean isPointwise() {
    return kernel == 1 && stride == 1 && pad == 0;
  }

  /**
   * @return whether to convolve with the backend's direct convolution instead of im2col + GEMM
   */
  private boolean convolvesDirectly() {
    return !isPointwise()
        && cache.backend().capabilities().contains(BackendCapability.DIRECT_CONVOLUTION);
  }

  @Override
  public Activation forward(Activation input, boolean training) {
    ConvGeometry g = geometry(input.shape());
    if (inputObserver != null) {
      inputObserver.accept(input);
    }
    return compute(input, g, effectiveWeightTensor(cache.backend().ops()), training);
  }

  /**
   * Runs the layer on {@code input} with {@code weights} used as they are (no weight fake
   * quantization; the input quantizer still applies unless {@linkplain #setQuantizationBypassed
   * bypassed}), keeping what {@link #weightGradientOf} needs: AdaRound's forward pass with its soft
   * rounded weights (Nagel et al. 2020). The input observer is not called; the layer's parameters
   * are neither read as weights nor changed.
   *
   * @param input the input batch {@code [n, h, w, C_in]}
   * @param weights {@code [C_out, K]} row-major, {@code K = kh·kw·C_in} in {@code (ky, kx, c_in)}
   *     order
   * @return {@code Y = q_x(X)·weightsᵀ + b}, {@code [n, oh, ow, C_out]}, valid until the layer's
   *     next forward pass
   */
  public Activation forwardWithWeights(Activation input, float[] weights) {
    if (weights.length != weight.size()) {
      throw new IllegalArgumentException(
          name
              + ": "
              + weights.length
              + " weights given, expected "
              + outChannels
              + "·"
              + weight.rowSize());
    }
    Tensor w = cache.get("weight", outChannels, weight.rowSize());
    cache.backend().ops().copyFrom(weights, w);
    return compute(input, geometry(input.shape()), w, true);
  }

  /**
   * The full weight gradient of the last {@link #forwardWithWeights} (or training {@link #forward})
   * pass: {@code dW = dYᵀ·C} for every row, with no straight-through estimator and nothing added to
   * {@link Parameter#grad()}. Computed by the same sparse-row GEMM or direct-convolution kernel as
   * {@link #backward}, with all rows.
   *
   * @param gradOutput {@code dY}, {@code [n, oh, ow, C_out]} (or {@code [M, C_out]}) on the backend
   * @return {@code dW}, {@code [C_out, K]} row-major, a new array
   */
  public float[] weightGradientOf(Activation gradOutput) {
    if (lastCols == null) {
      throw new IllegalStateException(name + ": weightGradientOf without a forward pass");
    }
    TensorOps ops = cache.backend().ops();
    Tensor dy =
        ops.reshape(gradOutput.tensor(), new long[] {lastGeometry.colsShape()[0], outChannels});
    return ops.toArray(rowsGradient(ops, dy, lastGeometry, allRows()));
  }

  /** {@code Y = q_x(X)·Wᵀ + b} with the weights given ({@code [C_out, K]} on the backend). */
  private Activation compute(Activation input, ConvGeometry g, Tensor w, boolean keep) {
    TensorOps ops = cache.backend().ops();
    Tensor x = input.tensor();
    if (quantizing()) {
      Tensor xq = cache.get("input_q", input.shape().dims());
      ActivationQuantizer.forward(
          ops,
          quantization.inputs(),
          LayerQuantization.view(inputStep, inputZero),
          ops.reshape(x, input.shape().dims()),
          xq);
      x = xq;
    }
    long m = g.colsShape()[0];
    Tensor y = cache.get("output", m, outChannels);
    Tensor cols;
    if (convolvesDirectly()) {
      cols = ops.reshape(x, g.inputShape());
      ops.conv2d(cols, w, bias == null ? null : bias.value(), g, y); // bias fused
    } else {
      if (isPointwise()) {
        cols = ops.reshape(x, g.colsShape());
      } else {
        cols = cache.get("cols", g.colsShape());
        ops.im2col(ops.reshape(x, g.inputShape()), g, cols);
      }
      ops.gemm(cols, false, w, true, y, 1f, 0f);
      if (bias != null) {
        ops.columnAffine(y, unitScale(), bias.value(), y);
      }
    }
    if (keep) {
      lastInput = input;
      lastCols = cols;
      lastGeometry = g;
      lastWeights = w;
    }
    return new Activation(y, new FeatureShape(g.n(), g.outH(), g.outW(), outChannels));
  }

  /**
   * @return {@code C_out} ones, the scale of the bias add
   */
  private float[] unitScale() {
    if (ones == null) {
      ones = new float[outChannels];
      Arrays.fill(ones, 1f);
    }
    return ones;
  }

  /**
   * {@code Ŵ} on the backend. While the parameters are {@linkplain Parameter#isResident resident}
   * this moves nothing between heap and backend: {@code W} itself in full precision, else {@code
   * fakeQuantizeRows(W, s_w, z_w)} for an affine weight quantizer. Otherwise {@code Ŵ} is computed
   * on the heap and uploaded.
   *
   * @return {@code Ŵ}, {@code [C_out, K]}, valid until the next forward pass or optimizer step
   */
  private Tensor effectiveWeightTensor(TensorOps ops) {
    if (weight.isResident() && !quantizing()) {
      return weight.valueTensor();
    }
    Tensor w = cache.get("weight", outChannels, weight.rowSize());
    if (quantizesWeightsResident()) {
      QuantGrid grid = quantization.weights().grid();
      ops.fakeQuantizeRows(
          weight.valueTensor(),
          weightStep.valueTensor(),
          weightZero.valueTensor(),
          grid.qmin(),
          grid.qmax(),
          w);
    } else {
      ops.copyFrom(effectiveWeights(), w);
    }
    return w;
  }

  /**
   * @return whether weight fake quantization and its backward pass run on the backend: quantizing
   *     with an affine weight quantizer, weights and their quantizer parameters resident
   */
  private boolean quantizesWeightsResident() {
    return quantizing()
        && quantization.weights().isAffine()
        && weight.isResident()
        && weightStep.isResident()
        && weightZero.isResident();
  }

  /**
   * @return Ŵ = q_w(W) while quantized (and not bypassed), else W
   */
  private float[] effectiveWeights() {
    if (!quantizing()) {
      return weight.value();
    }
    if (quantizedWeights == null || quantizedWeights.length != weight.size()) {
      quantizedWeights = new float[weight.size()];
    }
    quantization
        .weights()
        .forward(weight.value(), LayerQuantization.view(weightStep, weightZero), quantizedWeights);
    return quantizedWeights;
  }

  @Override
  public Activation backward(Activation gradOutput) {
    if (lastInput == null) {
      throw new IllegalStateException(name + ": backward without a training forward pass");
    }
    TensorOps ops = cache.backend().ops();
    ConvGeometry g = lastGeometry;
    Tensor dy = ops.reshape(gradOutput.tensor(), new long[] {g.colsShape()[0], outChannels});
    if (bias != null) {
      float[] db = new float[outChannels];
      ops.columnSums(dy, db);
      add(bias.grad(), db);
    }
    long t0 = System.nanoTime();
    weightGradient(ops, dy, g);
    long t1 = System.nanoTime();
    // The input quantizer's step and zero point need dX̂ even where the input needs no gradient
    // (the first layer): LSQ's gradient is a sum over the input-side gradient.
    boolean inputQuantizerLearns =
        quantizing()
            && (quantization.inputs().learnsStep() || quantization.inputs().learnsZeroPoint());
    Activation result = inputGradNeeded || inputQuantizerLearns ? inputGradient(ops, dy, g) : null;
    if (profiler != null) {
      profiler.record(name, LayerProfiler.Phase.WEIGHT_GRADIENT, t1 - t0);
      profiler.record(name, LayerProfiler.Phase.INPUT_GRADIENT, System.nanoTime() - t1);
    }
    if (!inputGradNeeded) {
      result = null;
    }
    lastInput = null;
    lastCols = null;
    lastWeights = null;
    return result;
  }

  private void weightGradient(TensorOps ops, Tensor dy, ConvGeometry g) {
    int[] rows = unfrozen != null ? unfrozen : allRows();
    if (rows.length == 0) {
      return;
    }
    int k = weight.rowSize();
    Tensor dw = rowsGradient(ops, dy, g, rows);
    if (weight.isResident() && (!quantizing() || quantizesWeightsResident())) {
      residentWeightGradient(ops, dw, rows, k);
      return;
    }
    int u = rows.length;
    float[] dwU = unfrozenRowsOf(ops, dw, rows, k); // [u, k]: only these rows leave the backend
    float[] w = weight.value();
    float[] wGrad = weight.grad();
    if (!quantizing()) {
      for (int i = 0; i < u; i++) {
        int base = rows[i] * k;
        for (int j = 0; j < k; j++) {
          wGrad[base + j] += dwU[i * k + j];
        }
      }
      return;
    }
    // Straight-through / LSQ backward of the weight quantizer on the unfrozen rows only.
    float[] wU = new float[u * k];
    QuantParams pU = QuantParams.ofGroups(u);
    for (int i = 0; i < u; i++) {
      System.arraycopy(w, rows[i] * k, wU, i * k, k);
      pU.step()[i] = weightStep.value()[rows[i]];
      pU.zeroPoint()[i] = weightZero.value()[rows[i]];
    }
    float[] dLatent = new float[u * k];
    QuantParams gU = QuantParams.ofGroups(u);
    quantization.weights().backward(wU, dwU, pU, dLatent, gU);
    for (int i = 0; i < u; i++) {
      int r = rows[i];
      for (int j = 0; j < k; j++) {
        wGrad[r * k + j] += dLatent[i * k + j];
      }
      weightStep.grad()[r] += gU.step()[i];
    }
  }

  /**
   * Adds the weight (and step) gradient of the rows {@code U} on the backend: {@code dW[U] +=
   * dŴ[U]} in full precision, else the straight-through and LSQ backward pass of the weight
   * quantizer, {@code fakeQuantizeRowsBackward}. Nothing leaves the backend.
   */
  private void residentWeightGradient(TensorOps ops, Tensor dw, int[] rows, int k) {
    boolean all = rows.length == outChannels;
    Tensor dwU = dw;
    if (!all) {
      dwU = cache.get("weight_grad_rows", rows.length, k);
      ops.gatherRows(dw, rows, dwU);
    }
    if (!quantizing()) {
      ops.scatterAddRows(dwU, rows, weight.gradTensor());
      return;
    }
    Quantizer q = quantization.weights();
    QuantGrid grid = q.grid();
    boolean learns = q.learnsStep();
    ops.fakeQuantizeRowsBackward(
        weight.valueTensor(),
        dwU,
        all ? null : rows,
        weightStep.valueTensor(),
        weightZero.valueTensor(),
        grid.qmin(),
        grid.qmax(),
        learns ? 1.0 / Math.sqrt((double) k * grid.qmax()) : 0.0,
        weight.gradTensor(),
        learns ? weightStep.gradTensor() : null);
  }

  /**
   * @param rows the rows wanted, strictly increasing
   * @return {@code dŴ[rows] = dY[:, rows]ᵀ·C} in the layer's {@code [C_out, K]} buffer (other rows
   *     unspecified), on the backend
   */
  private Tensor rowsGradient(TensorOps ops, Tensor dy, ConvGeometry g, int[] rows) {
    Tensor dw = cache.get("weight_grad", outChannels, weight.rowSize());
    if (convolvesDirectly()) {
      ops.conv2dBackwardWeightRows(dy, lastCols, g, rows, dw);
    } else {
      ops.sparseRowWeightGradient(dy, lastCols, rows, dw);
    }
    return dw;
  }

  /**
   * Downloads the rows {@code U} of {@code dŴ}: all of it when every row trains, else the rows
   * gathered on the backend first, so a step moves {@code |U|·K} values instead of {@code C_out·K}.
   *
   * @return {@code dŴ[U]}, {@code [|U|, K]} row-major
   */
  private float[] unfrozenRowsOf(TensorOps ops, Tensor dw, int[] rows, int k) {
    if (rows.length == outChannels) {
      return ops.toArray(dw);
    }
    Tensor compact = cache.get("weight_grad_rows", rows.length, k);
    ops.gatherRows(dw, rows, compact);
    return ops.toArray(compact);
  }

  private Activation inputGradient(TensorOps ops, Tensor dy, ConvGeometry g) {
    Tensor w = lastWeights;
    FeatureShape inShape = lastInput.shape();
    Tensor dx;
    if (convolvesDirectly()) {
      dx = cache.get("input_grad", g.inputShape());
      ops.conv2dBackwardInput(dy, w, g, dx);
    } else if (isPointwise()) {
      dx = cache.get("input_grad", g.colsShape());
      ops.gemm(dy, false, w, false, dx, 1f, 0f);
    } else {
      Tensor dcols = cache.get("cols_grad", g.colsShape());
      ops.gemm(dy, false, w, false, dcols, 1f, 0f);
      dx = cache.get("input_grad", g.inputShape());
      ops.col2im(dcols, g, dx);
    }
    if (quantizing()) {
      float[] sums =
          ActivationQuantizer.backward(
              ops,
              quantization.inputs(),
              LayerQuantization.view(inputStep, inputZero),
              ops.reshape(lastInput.tensor(), inShape.dims()),
              ops.reshape(dx, inShape.dims()),
              ops.reshape(dx, inShape.dims()));
      inputStep.grad()[0] += sums[0];
      inputZero.grad()[0] += sums[1];
    }
    return new Activation(dx, inShape);
  }

  private int[] allRows() {
    int[] r = new int[outChannels];
    Arrays.setAll(r, i -> i);
    return r;
  }

  private static void add(float[] acc, float[] v) {
    for (int i = 0; i < acc.length; i++) {
      acc[i] += v[i];
    }
  }

  @Override
  public List<Parameter> parameters() {
    List<Parameter> p = new ArrayList<>();
    p.add(weight);
    if (bias != null) {
      p.add(bias);
    }
    if (quantization != null) {
      p.add(weightStep);
      p.add(weightZero);
      p.add(inputStep);
      p.add(inputZero);
    }
    return p;
  }

  @Override
  public List<WeightLayer> weightLayers() {
    return List.of(this);
  }

  @Override
  public void release() {
    cache.release();
  }
}
