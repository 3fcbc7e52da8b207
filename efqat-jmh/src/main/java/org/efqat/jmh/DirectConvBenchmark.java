package org.efqat.jmh;

import java.util.concurrent.TimeUnit;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.BackendCapability;
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
 * The same 3×3, stride 1, pad 1 convolution as {@link ConvBenchmark}, on the backends that declare
 * {@link BackendCapability#DIRECT_CONVOLUTION} (TensorFlow's {@code Conv2D} and its backprops; no
 * im2col rows in memory), which is how the engine runs there:
 *
 * <pre>
 *   forward            conv2d(X [n, h, w, c], W [C_out, K], b) -&gt; Y [M, C_out]
 *   backwardInput      conv2dBackwardInput(dY, W) -&gt; dX [n, h, w, c]
 *   backwardWeightRows conv2dBackwardWeightRows(dY, X, U) -&gt; dW[U]   (⌈p·C_out⌉ rows)
 * </pre>
 *
 * Shapes as in {@link ConvBenchmark}: {@code 32x32x16} and {@code 8x8x64} at batch 128, {@code
 * C_out = c}. Result: milliseconds per call, average time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class DirectConvBenchmark {

  /** One convolution layer's tensors on a backend with direct convolution. */
  @State(Scope.Thread)
  public static class DirectState {
    /** The backend's provider name (one that declares DIRECT_CONVOLUTION). */
    @Param({"tf"})
    public String backend;

    /** The input {@code h x w x c}; the layer keeps {@code c} output channels. */
    @Param({"32x32x16", "8x8x64"})
    public String shape;

    /** The unfrozen fraction of the weight-gradient benchmark. */
    @Param({"1", "0.1"})
    public String p;

    Backend owner;
    TensorOps ops;
    ConvGeometry geometry;
    Tensor input;
    Tensor weight;
    Tensor output;
    Tensor gradOut;
    Tensor gradInput;
    Tensor gradWeight;
    int[] rows;
    float[] bias;

    /** Opens the backend and allocates the tensors. */
    @Setup(Level.Trial)
    public void setUp() {
      int[] d = BenchmarkBackends.dims(shape, 3);
      int c = d[2];
      geometry = new ConvGeometry(128, d[0], d[1], c, 3, 3, 1, 1);
      long m = geometry.colsShape()[0];
      long k = geometry.colsShape()[1];
      owner = BenchmarkBackends.open(backend);
      if (!owner.capabilities().contains(BackendCapability.DIRECT_CONVOLUTION)) {
        owner.close();
        throw new IllegalArgumentException(
            "backend "
                + backend
                + " has no direct convolution; see ConvBenchmark for the im2col path");
      }
      ops = owner.ops();
      input = BenchmarkBackends.uniform(ops, 1, -1f, 1f, geometry.inputShape());
      weight = BenchmarkBackends.uniform(ops, 2, -0.1f, 0.1f, c, k);
      gradOut = BenchmarkBackends.uniform(ops, 3, -1f, 1f, m, c);
      output = ops.zeros(m, c);
      gradInput = ops.zeros(geometry.inputShape());
      gradWeight = ops.zeros(c, k);
      rows = BenchmarkBackends.unfrozenRows(p, c);
      bias = new float[c];
      java.util.Arrays.fill(bias, 0.01f);
    }

    /** Releases the tensors and the backend. */
    @TearDown(Level.Trial)
    public void tearDown() {
      BenchmarkBackends.close(owner, input, weight, output, gradOut, gradInput, gradWeight);
      owner = null;
    }
  }

  /**
   * {@code Y = conv2d(X, W) + b} (a folded BatchNorm leaves every convolution a bias).
   *
   * @param s the layer
   */
  @Benchmark
  public void forward(DirectState s) {
    s.ops.conv2d(s.input, s.weight, s.bias, s.geometry, s.output);
  }

  /**
   * {@code dX = conv2dBackwardInput(dY, W)}.
   *
   * @param s the layer
   */
  @Benchmark
  public void backwardInput(DirectState s) {
    s.ops.conv2dBackwardInput(s.gradOut, s.weight, s.geometry, s.gradInput);
  }

  /**
   * {@code dW[U]} for the {@code ⌈p·C_out⌉} unfrozen rows.
   *
   * @param s the layer
   */
  @Benchmark
  public void backwardWeightRows(DirectState s) {
    s.ops.conv2dBackwardWeightRows(s.gradOut, s.input, s.geometry, s.rows, s.gradWeight);
  }
}
