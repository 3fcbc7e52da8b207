package org.efqat.jmh;

import java.util.concurrent.TimeUnit;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.ConvGeometry;
import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A 3×3, stride 1, pad 1 convolution computed the way efqat-core's {@code WeightLayer} computes it
 * on a backend without {@code BackendCapability.DIRECT_CONVOLUTION} (ND4J), as the same {@link
 * TensorOps} calls on preallocated tensors:
 *
 * <pre>
 *   forward   im2col(X [n, h, w, c]) -&gt; C [M, K];   gemm(C, Ŵᵀ) -&gt; Y [M, C_out];
 *             columnAffine(Y, 1, b) -&gt; Y   (the bias BatchNorm folding leaves, PTQ's default)
 *   backward  gemm(dY [M, C_out], Ŵ [C_out, K]) -&gt; dC [M, K];   col2im(dC) -&gt; dX [n, h, w, c]
 * </pre>
 *
 * with {@code M = n·h·w}, {@code K = 9·c} and {@code C_out = c} (ResNet-20's 3×3 convs keep the
 * channel count within a stage). {@link #forward} and {@link #backward} are the engine's sequences;
 * {@link #im2col}, {@link #forwardGemm}, {@link #biasAdd}, {@link #backwardGemm} and {@link
 * #col2im} are their parts alone, to show where the time goes, and {@link #biasGradient} is the
 * bias gradient {@code db = Σ_m dY} the engine's backward also computes. The backward pass here is
 * the input gradient only: the weight gradient {@code dW[U] = dY[:, U]ᵀ·C} is {@link
 * SparseWeightGradientBenchmark} on the same shapes ({@code 131072x144x16}, {@code 8192x576x64}).
 * Not included: the weight upload ({@code copyFrom} of {@code C_out·K} floats per step) and the
 * input fake quantization ({@link FakeQuantBenchmark}). A backend with direct convolution (TF) runs
 * {@code DirectConvBenchmark}'s calls in the engine instead; this benchmark still measures its
 * im2col path, for comparison.
 *
 * <p>Shapes ({@code shape} parameter, {@code h x w x c}, batch {@code n} = {@code batch}): {@code
 * 32x32x16} (ResNet-20 stage 1: M = 131072, K = 144) and {@code 8x8x64} (stage 3: M = 8192, K =
 * 576), FP32, NHWC. Values uniform in {@code [-1, 1)} from a fixed seed. Result: milliseconds per
 * call, average time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class ConvBenchmark {

  /** One convolution layer's tensors on one backend. */
  @State(Scope.Thread)
  public static class ConvState {
    /** The backend's provider name. */
    @Param({"nd4j", "tf"})
    public String backend;

    /** The input {@code h x w x c}; the layer keeps {@code c} output channels. */
    @Param({"32x32x16", "8x8x64"})
    public String shape;

    /** The batch size {@code n}. */
    @Param({"128"})
    public int batch;

    Backend owner;
    TensorOps ops;
    ConvGeometry geometry;

    /** {@code X}, {@code [n, h, w, c]}. */
    Tensor input;

    /** {@code C = im2col(X)}, {@code [M, K]}. */
    Tensor cols;

    /** {@code Ŵ}, {@code [C_out, K]}. */
    Tensor weight;

    /** {@code Y}, {@code [M, C_out]}. */
    Tensor output;

    /** {@code dY}, {@code [M, C_out]}. */
    Tensor gradOut;

    /** {@code dC = dY·Ŵ}, {@code [M, K]}. */
    Tensor gradCols;

    /** {@code dX = col2im(dC)}, {@code [n, h, w, c]}. */
    Tensor gradInput;

    /** Ones, the scale of the bias add, length {@code C_out}. */
    float[] ones;

    /** The bias {@code b}, length {@code C_out}. */
    float[] bias;

    /** {@code db}, length {@code C_out}. */
    float[] gradBias;

    /** Opens the backend and allocates the tensors; fills {@code C} and {@code dC} once. */
    @Setup(Level.Trial)
    public void setUp() {
      int[] d = BenchmarkBackends.dims(shape, 3);
      int c = d[2];
      geometry = new ConvGeometry(batch, d[0], d[1], c, 3, 3, 1, 1);
      long[] colsShape = geometry.colsShape();
      long m = colsShape[0];
      long k = colsShape[1];
      owner = BenchmarkBackends.open(backend);
      ops = owner.ops();
      input = BenchmarkBackends.uniform(ops, 1, -1f, 1f, geometry.inputShape());
      weight = BenchmarkBackends.uniform(ops, 2, -0.1f, 0.1f, c, k);
      gradOut = BenchmarkBackends.uniform(ops, 3, -1f, 1f, m, c);
      cols = ops.zeros(colsShape);
      output = ops.zeros(m, c);
      gradCols = ops.zeros(colsShape);
      gradInput = ops.zeros(geometry.inputShape());
      ones = new float[c];
      java.util.Arrays.fill(ones, 1f);
      bias = new float[c];
      java.util.Arrays.fill(bias, 0.01f);
      gradBias = new float[c];
      // So that the part-only benchmarks read realistic values, not zeros.
      ops.im2col(input, geometry, cols);
      ops.gemm(gradOut, false, weight, false, gradCols, 1f, 0f);
    }

    /** Releases the tensors and the backend. */
    @TearDown(Level.Trial)
    public void tearDown() {
      BenchmarkBackends.close(owner, input, cols, weight, output, gradOut, gradCols, gradInput);
      owner = null;
    }
  }

  /**
   * The forward pass: {@code C = im2col(X)}, {@code Y = C·Ŵᵀ + b}.
   *
   * @param s the layer
   */
  @Benchmark
  public void forward(ConvState s) {
    s.ops.im2col(s.input, s.geometry, s.cols);
    s.ops.gemm(s.cols, false, s.weight, true, s.output, 1f, 0f);
    s.ops.columnAffine(s.output, s.ones, s.bias, s.output);
  }

  /**
   * The backward pass to the input: {@code dC = dY·Ŵ}, {@code dX = col2im(dC)}.
   *
   * @param s the layer
   */
  @Benchmark
  public void backward(ConvState s) {
    s.ops.gemm(s.gradOut, false, s.weight, false, s.gradCols, 1f, 0f);
    s.ops.col2im(s.gradCols, s.geometry, s.gradInput);
  }

  /**
   * {@code C = im2col(X)} alone.
   *
   * @param s the layer
   */
  @Benchmark
  public void im2col(ConvState s) {
    s.ops.im2col(s.input, s.geometry, s.cols);
  }

  /**
   * {@code Y = C·Ŵᵀ} alone.
   *
   * @param s the layer
   */
  @Benchmark
  public void forwardGemm(ConvState s) {
    s.ops.gemm(s.cols, false, s.weight, true, s.output, 1f, 0f);
  }

  /**
   * {@code Y = Y·1 + b} alone.
   *
   * @param s the layer
   */
  @Benchmark
  public void biasAdd(ConvState s) {
    s.ops.columnAffine(s.output, s.ones, s.bias, s.output);
  }

  /**
   * {@code db = Σ_m dY} (part of the engine's backward, not of {@link #backward}).
   *
   * @param s the layer
   * @return {@code db}, so that JMH consumes it
   */
  @Benchmark
  public float[] biasGradient(ConvState s) {
    s.ops.columnSums(s.gradOut, s.gradBias);
    return s.gradBias;
  }

  /**
   * {@code dC = dY·Ŵ} alone.
   *
   * @param s the layer
   */
  @Benchmark
  public void backwardGemm(ConvState s) {
    s.ops.gemm(s.gradOut, false, s.weight, false, s.gradCols, 1f, 0f);
  }

  /**
   * {@code dX = col2im(dC)} alone.
   *
   * @param s the layer
   */
  @Benchmark
  public void col2im(ConvState s) {
    s.ops.col2im(s.gradCols, s.geometry, s.gradInput);
  }
}
