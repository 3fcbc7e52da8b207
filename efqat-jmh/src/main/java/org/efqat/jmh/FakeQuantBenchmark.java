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
 * Per-tensor fake quantization of a layer input (DESIGN.md 1.1), the element-wise kernels that run
 * on every activation of a QAT step: {@link TensorOps#fakeQuantize} {@code x̂ = s·(clamp(rint(x/s +
 * z), qmin, qmax) − z)} and its straight-through/LSQ backward {@link
 * TensorOps#fakeQuantizeBackward} (input gradient plus the two parameter-gradient sums).
 *
 * <p>Shape ({@code shape} parameter, NHWC): {@code 128x32x32x16}, ResNet-20's stage-1 activation at
 * batch 128 (2,097,152 FP32 values, 8 MiB). Grid: 4 bits unsigned ({@code qmin = 0}, {@code qmax =
 * 15}), step {@code s = 1/8}, zero point {@code z = 8}, so inputs uniform in {@code [-1, 1)} cover
 * {@code [-1, 0.875]} of the grid and about 6% of them clip, exercising both branches. Output
 * tensors are separate from the inputs (the engine writes the backward in place; the cost is the
 * same). Result: milliseconds per call, average time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class FakeQuantBenchmark {
  /** The step {@code s}. */
  static final float STEP = 0.125f;

  /** The zero point {@code z}, in grid units. */
  static final float ZERO_POINT = 8f;

  /** The lowest level of a 4-bit unsigned grid. */
  static final int QMIN = 0;

  /** The highest level of a 4-bit unsigned grid. */
  static final int QMAX = 15;

  /** One activation tensor and its gradient on one backend. */
  @State(Scope.Thread)
  public static class ActivationState {
    /** The backend's provider name. */
    @Param({"nd4j", "tf"})
    public String backend;

    /** The activation shape {@code n x h x w x c}. */
    @Param({"128x32x32x16"})
    public String shape;

    Backend owner;
    TensorOps ops;
    Tensor input;
    Tensor output;
    Tensor gradOut;
    Tensor gradInput;

    /** Opens the backend and allocates the tensors. */
    @Setup(Level.Trial)
    public void setUp() {
      int[] d = BenchmarkBackends.dims(shape, 4);
      long[] dims = {d[0], d[1], d[2], d[3]};
      owner = BenchmarkBackends.open(backend);
      ops = owner.ops();
      input = BenchmarkBackends.uniform(ops, 1, -1f, 1f, dims);
      gradOut = BenchmarkBackends.uniform(ops, 2, -1f, 1f, dims);
      output = ops.zeros(dims);
      gradInput = ops.zeros(dims);
    }

    /** Releases the tensors and the backend. */
    @TearDown(Level.Trial)
    public void tearDown() {
      BenchmarkBackends.close(owner, input, output, gradOut, gradInput);
      owner = null;
    }
  }

  /**
   * {@code x̂ = fakeQuantize(x)}.
   *
   * @param s the tensors
   */
  @Benchmark
  public void fakeQuantize(ActivationState s) {
    s.ops.fakeQuantize(s.input, STEP, ZERO_POINT, QMIN, QMAX, s.output);
  }

  /**
   * {@code dx} and the step and zero-point sums.
   *
   * @param s the tensors
   * @return the two sums (returned so that JMH consumes them)
   */
  @Benchmark
  public float[] fakeQuantizeBackward(ActivationState s) {
    return s.ops.fakeQuantizeBackward(
        s.input, s.gradOut, STEP, ZERO_POINT, QMIN, QMAX, s.gradInput);
  }
}
