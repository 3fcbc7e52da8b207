package org.efqat.jmh;

import java.util.concurrent.TimeUnit;
import org.efqat.api.backend.Backend;
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
 * The weight-gradient GEMM of a quantized layer, the kernel EfQAT makes cheaper (DESIGN.md 1.1):
 * {@code dW[U] = dY[:, U]ᵀ·X} for the unfrozen rows {@code U} only, through {@link
 * TensorOps#sparseRowWeightGradient}, against the dense {@link TensorOps#gemm} {@code dW = dYᵀ·X}
 * on the same shapes as the {@code p = 1} baseline.
 *
 * <p>Shapes ({@code shape} parameter, {@code M x K x C_out}; {@code dY} is {@code [M, C_out]},
 * {@code X} (the im2col matrix) {@code [M, K]}, {@code dW} {@code [C_out, K]}, FP32):
 *
 * <ul>
 *   <li>{@code 131072x144x16}: ResNet-20 stage 1, batch 128, 32×32 positions, 3×3×16 window, 16
 *       rows;
 *   <li>{@code 8192x576x64}: ResNet-20 stage 3, batch 128, 8×8 positions, 3×3×64 window, 64 rows;
 *   <li>{@code 6272x1152x128}: a ResNet-50 stage-2 3×3 conv, batch 8, 28×28 positions, 3×3×128
 *       window, 128 rows.
 * </ul>
 *
 * <p>The unfrozen fraction {@code p} ({@code 1, 0.5, 0.25, 0.1, 0.05}) selects {@code ⌈p·C_out⌉}
 * rows: the first of a seeded shuffle, sorted (as a freeze policy would hand them over). Values are
 * uniform in {@code [-1, 1)} from a fixed seed. Result: milliseconds per call, average time. {@code
 * dW} is preallocated; whatever a backend allocates inside the call (ND4J's gathered {@code dY[:,
 * U]} and partial product, for example) is part of what is measured.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class SparseWeightGradientBenchmark {

  /** ResNet-20 stage 1 at batch 128: {@code M = 128·32·32}, {@code K = 3·3·16}, 16 rows. */
  public static final String RESNET20_STAGE1 = "131072x144x16";

  /** ResNet-20 stage 3 at batch 128: {@code M = 128·8·8}, {@code K = 3·3·64}, 64 rows. */
  public static final String RESNET20_STAGE3 = "8192x576x64";

  /** ResNet-50 stage 2 3×3 conv at batch 8: {@code M = 8·28·28}, {@code K = 3·3·128}, 128 rows. */
  public static final String RESNET50_STAGE2 = "6272x1152x128";

  /**
   * One layer's {@code dY}, {@code X} and {@code dW} on one backend (JMH wants {@code @State} on
   * the class that declares the parameters, even when only its subclasses are used).
   */
  @State(Scope.Thread)
  public abstract static class LayerState {
    /** The backend's provider name. */
    @Param({"nd4j", "tf"})
    public String backend;

    /** {@code M x K x C_out}. */
    @Param({RESNET20_STAGE1, RESNET20_STAGE3, RESNET50_STAGE2})
    public String shape;

    Backend owner;
    TensorOps ops;
    Tensor gradOut;
    Tensor input;
    Tensor gradWeight;
    int outChannels;

    /** Opens the backend and allocates the tensors. */
    void open() {
      int[] d = BenchmarkBackends.dims(shape, 3);
      int m = d[0];
      int k = d[1];
      outChannels = d[2];
      owner = BenchmarkBackends.open(backend);
      ops = owner.ops();
      gradOut = BenchmarkBackends.uniform(ops, 1, -1f, 1f, m, outChannels);
      input = BenchmarkBackends.uniform(ops, 2, -1f, 1f, m, k);
      gradWeight = ops.zeros(outChannels, k);
    }

    /** Releases the tensors and the backend. */
    void close() {
      BenchmarkBackends.close(owner, gradOut, input, gradWeight);
      owner = null;
    }
  }

  /** A layer with the unfrozen rows of fraction {@code p}. */
  @State(Scope.Thread)
  public static class SparseState extends LayerState {
    /** The unfrozen fraction {@code p}, in decimal. */
    @Param({"1", "0.5", "0.25", "0.1", "0.05"})
    public String p;

    int[] rows;

    /** Opens the backend, allocates the tensors and picks the rows. */
    @Setup(Level.Trial)
    public void setUp() {
      open();
      rows = BenchmarkBackends.unfrozenRows(p, outChannels);
    }

    /** Releases everything. */
    @TearDown(Level.Trial)
    public void tearDown() {
      close();
    }
  }

  /** A layer for the dense baseline (no {@code p}). */
  @State(Scope.Thread)
  public static class DenseState extends LayerState {
    /** Opens the backend and allocates the tensors. */
    @Setup(Level.Trial)
    public void setUp() {
      open();
    }

    /** Releases everything. */
    @TearDown(Level.Trial)
    public void tearDown() {
      close();
    }
  }

  /**
   * {@code dW[U] = dY[:, U]ᵀ·X} for the {@code ⌈p·C_out⌉} unfrozen rows.
   *
   * @param s the layer
   */
  @Benchmark
  public void sparseRowWeightGradient(SparseState s) {
    s.ops.sparseRowWeightGradient(s.gradOut, s.input, s.rows, s.gradWeight);
  }

  /**
   * The dense {@code dW = dYᵀ·X} as one {@link TensorOps#gemm}: the cost without EfQAT.
   *
   * @param s the layer
   */
  @Benchmark
  public void denseGemm(DenseState s) {
    s.ops.gemm(s.gradOut, true, s.input, false, s.gradWeight, 1f, 0f);
  }
}
