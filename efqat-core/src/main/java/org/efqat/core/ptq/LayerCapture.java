package org.efqat.core.ptq;

import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;
import org.efqat.core.nn.Activation;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.TensorCache;
import org.efqat.core.nn.WeightLayer;

/**
 * One weight layer's captured calibration data ({@link LayerwiseReconstruction#capture}): its
 * inputs in the quantized network {@code X_q [S, h·w·C_in]} and the full-precision targets {@code Y
 * = layer_fp(X_fp) [S, oh·ow·C_out]}, held on the backend, with mini-batch gathers and output error
 * sums computed there. Close it to free the tensors.
 */
public final class LayerCapture implements AutoCloseable {
  private final WeightLayer layer;
  private final TensorOps ops;
  private final Tensor inputs;
  private final Tensor targets;
  private final FeatureShape inputSample;
  private final FeatureShape outputSample;
  private final int samples;
  private final TensorCache cache;
  private final float[] zeros;

  LayerCapture(
      WeightLayer layer,
      Backend backend,
      Tensor inputs,
      Tensor targets,
      FeatureShape inputSample,
      FeatureShape outputSample,
      int samples) {
    this.layer = layer;
    this.ops = backend.ops();
    this.inputs = inputs;
    this.targets = targets;
    this.inputSample = inputSample;
    this.outputSample = outputSample;
    this.samples = samples;
    this.cache = new TensorCache(backend);
    this.zeros = new float[outputSample.c()];
  }

  /**
   * @return the layer
   */
  public WeightLayer layer() {
    return layer;
  }

  /**
   * @return {@code S}, the number of captured samples
   */
  public int samples() {
    return samples;
  }

  /**
   * @return one sample's input shape {@code [1, h, w, C_in]}
   */
  public FeatureShape inputSample() {
    return inputSample;
  }

  /**
   * @return one sample's output shape {@code [1, oh, ow, C_out]}
   */
  public FeatureShape outputSample() {
    return outputSample;
  }

  /**
   * @param from first sample
   * @param to one past the last sample
   * @return {@code from, from + 1, ..., to − 1}
   */
  public static int[] range(int from, int to) {
    int[] r = new int[to - from];
    Arrays.setAll(r, i -> from + i);
    return r;
  }

  /**
   * @param indices sample numbers in {@code [0, S)}, repeats allowed
   * @return their {@code X_q} as one batch {@code [n, h, w, C_in]}, valid until the next call
   */
  public Activation inputs(int[] indices) {
    Tensor x = cache.get("inputs", indices.length, inputSample.size());
    ops.gatherRows(inputs, indices, x);
    return new Activation(
        x, new FeatureShape(indices.length, inputSample.h(), inputSample.w(), inputSample.c()));
  }

  /**
   * @param indices sample numbers in {@code [0, S)}, repeats allowed
   * @return their targets {@code Y} as {@code [n·oh·ow, C_out]}, valid until the next call
   */
  public Tensor targets(int[] indices) {
    Tensor y = cache.get("targets", indices.length, outputSample.size());
    ops.gatherRows(targets, indices, y);
    return ops.reshape(
        y, (long) indices.length * outputSample.h() * outputSample.w(), outputSample.c());
  }

  /**
   * @param output the layer's output {@code Ỹ} for a batch
   * @param target the batch's {@link #targets}
   * @param scale a factor
   * @return {@code scale·(Ỹ − Y)}, {@code [M, C_out]}, valid until the next call
   */
  public Tensor residual(Activation output, Tensor target, float scale) {
    long m = output.shape().matrix()[0];
    int c = outputSample.c();
    Tensor r = cache.get("residual", m, c);
    float[] plus = new float[c];
    float[] minus = new float[c];
    Arrays.fill(plus, scale);
    Arrays.fill(minus, -scale);
    ops.columnAffine2(ops.reshape(output.tensor(), m, c), plus, target, minus, zeros, r);
    return r;
  }

  /**
   * Runs {@code forward} on every captured sample (in order, {@code batchSize} at a time) and sums
   * its error against the targets.
   *
   * @param forward the layer's forward pass to measure, for example {@code x -> layer.forward(x,
   *     false)}
   * @param batchSize samples per batch
   * @return the per-channel sums
   */
  public ErrorSums error(UnaryOperator<Activation> forward, int batchSize) {
    int c = outputSample.c();
    double[] sum = new double[c];
    double[] squares = new double[c];
    float[] s = new float[c];
    float[] q = new float[c];
    long positions = 0;
    int step = Math.max(1, batchSize);
    for (int from = 0; from < samples; from += step) {
      int[] idx = range(from, Math.min(samples, from + step));
      Activation x = inputs(idx);
      Activation y = forward.apply(x);
      Tensor r = residual(y, targets(idx), 1f);
      ops.columnSums(r, s);
      ops.columnDots(r, r, q);
      for (int j = 0; j < c; j++) {
        sum[j] += s[j];
        squares[j] += q[j];
      }
      positions += y.shape().matrix()[0];
    }
    return new ErrorSums(sum, squares, positions);
  }

  /**
   * Per-channel sums of the output error {@code Ỹ − Y} over {@code M} positions.
   *
   * @param sum {@code Σ_m (Ỹ − Y)[m, c]}, length {@code C_out}
   * @param squares {@code Σ_m (Ỹ − Y)[m, c]²}
   * @param positions {@code M}
   */
  public record ErrorSums(double[] sum, double[] squares, long positions) {
    /**
     * @return {@code Σ(Ỹ − Y)² / (M·C_out)}, the output mean squared error
     */
    public double mse() {
      double t = 0;
      for (double v : squares) {
        t += v;
      }
      return t / ((double) positions * squares.length);
    }

    /**
     * @return the mean error per channel {@code Σ_m (Ỹ − Y) / M}
     */
    public double[] mean() {
      double[] m = new double[sum.length];
      for (int j = 0; j < m.length; j++) {
        m[j] = sum[j] / positions;
      }
      return m;
    }
  }

  @Override
  public void close() {
    cache.release();
    inputs.close();
    targets.close();
  }
}
