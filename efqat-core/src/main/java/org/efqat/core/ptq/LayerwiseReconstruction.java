package org.efqat.core.ptq;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;
import org.efqat.core.nn.Activation;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.WeightLayer;
import org.efqat.core.train.Batches;

/**
 * The shared machinery of reconstruction-based PTQ refinements (AdaRound, Nagel et al. 2020;
 * empirical bias correction, Nagel et al. 2019; output-error activation ranges): for one weight
 * layer of a calibrated network, it captures over the calibration batches, up to a number of
 * samples,
 *
 * <ul>
 *   <li>{@code X_fp}, the layer's input when the whole network runs in full precision: quantization
 *       {@linkplain Network#setQuantizationBypassed bypassed} and the weights and biases of the
 *       {@link FullPrecisionWeights} copy taken before the first refinement put back;
 *   <li>{@code X_q}, the layer's input in the quantized network, so that every layer before it
 *       counts in the state it is in now (already refined, when refinements go in network order);
 *   <li>{@code Y = layer_fp(X_fp)}, the full-precision layer's output: the reconstruction target.
 * </ul>
 *
 * Inputs are observed with {@link WeightLayer#setInputObserver}, two forward passes of the network
 * over at most {@code batches} calibration batches. {@code X_q} and {@code Y} are then held as two
 * backend tensors {@code [S, h·w·C_in]} and {@code [S, oh·ow·C_out]} ({@code S} samples), from
 * which mini-batches are gathered on the backend ({@link LayerCapture}); only one layer's capture
 * exists at a time, so memory is {@code 4·S·(h·w·C_in + oh·ow·C_out)} bytes on the backend plus,
 * briefly, twice that on the heap. Keeping the captures on the backend means a reconstruction step
 * moves only the layer's weights and weight gradient between heap and backend, not its activations:
 * for a batch of 32 inputs and outputs of {@code 28·28·16} values, gathering the batch on the
 * backend took 0.5–0.7 ms, assembling it on the heap, uploading it and taking the output back for
 * the residual 4.5–5.4 ms (nd4j and tf, 2 vCPUs, 2026-12-01).
 *
 * <p>A sample is one entry of the batch dimension {@code n} of the layer's input, whatever its
 * shape; the layer must see inputs of one shape per sample.
 */
public final class LayerwiseReconstruction {
  private final Network network;
  private final CalibrationBatches data;
  private final int batchSize;
  private final int batches;
  private final FullPrecisionWeights reference;

  /**
   * @param network a network whose weight layers are quantized (calibrated)
   * @param data opens the calibration batches for each capture pass (the same samples in the same
   *     order every time; checked)
   * @param context the number of batches per pass and the full-precision reference
   */
  public LayerwiseReconstruction(
      Network network, CalibrationBatches data, RefinementContext context) {
    this.network = Objects.requireNonNull(network, "network is null");
    this.data = Objects.requireNonNull(data, "data is null");
    this.batchSize = data.open().batchSize();
    this.batches = context.batches();
    this.reference = context.reference();
  }

  /**
   * @return the calibration batches' size, a good batch size for evaluating a layer
   */
  public int batchSize() {
    return batchSize;
  }

  /** What a refinement does to one layer, given its capture; returns the layer's report. */
  @FunctionalInterface
  public interface LayerStep {
    /**
     * @param layer the layer
     * @param capture its {@code X_q} and {@code Y}
     * @param startNanos {@link System#nanoTime()} when the layer's capture began, for the report
     * @return the layer's report
     */
    LayerReport refine(WeightLayer layer, LayerCapture capture, long startNanos);
  }

  /**
   * The loop every refinement shares: for each weight layer in network order, capture it (so the
   * layers before it count as already refined), apply {@code step}, free the capture, and report
   * the layer to the context's listener.
   *
   * @param name the refinement's component name, for the listener
   * @param samples the most samples to capture per layer
   * @param context the refinement's context
   * @param step what to do to each layer
   * @return one report per weight layer, in network order
   */
  public List<LayerReport> refineEachLayer(
      String name, int samples, RefinementContext context, LayerStep step) {
    List<LayerReport> reports = new ArrayList<>();
    for (WeightLayer layer : network.weightLayers()) {
      long t0 = System.nanoTime();
      LayerReport report;
      try (LayerCapture capture = capture(layer, samples)) {
        report = step.refine(layer, capture, t0);
      }
      reports.add(report);
      context.listener().layerRefined(name, report);
    }
    return reports;
  }

  /**
   * Captures one layer's {@code X_q} and {@code Y} (see the class comment).
   *
   * @param layer a quantized weight layer of the network
   * @param samples the most samples to capture; fewer when the calibration batches hold fewer
   * @return the capture; close it to free its backend tensors
   * @throws CalibrationException if the layer saw no input or inputs of different shapes, or the
   *     passes saw different calibration samples
   */
  public LayerCapture capture(WeightLayer layer, int samples) {
    if (layer.quantization() == null) {
      throw new IllegalStateException(layer.name() + " is not quantized; calibrate first");
    }
    if (samples < 1) {
      throw new IllegalArgumentException("samples must be at least 1 (was " + samples + ")");
    }
    TensorOps ops = network.backend().ops();
    Collector fp;
    Targets targets;
    FullPrecisionWeights.Restore restore = reference.apply();
    try {
      fp = observe(layer, samples, true);
      targets = fp.count == 0 ? null : targets(layer, fp.joined(), fp.sample, fp.count);
    } finally {
      restore.close();
    }
    Collector q = observe(layer, samples, false);
    if (fp.count == 0) {
      throw new CalibrationException(
          "PTQ refinement: layer " + layer.name() + " saw no input in the calibration batches");
    }
    if (fp.images != q.images) {
      throw new CalibrationException(
          "PTQ refinement: layer "
              + layer.name()
              + ": the full-precision and the quantized pass saw different calibration samples;"
              + " the calibration batches must give the same samples in the same order on every"
              + " pass (see CalibrationBatches)");
    }
    if (fp.count != q.count || !fp.sample.equals(q.sample)) {
      throw new CalibrationException(
          "PTQ refinement: layer "
              + layer.name()
              + " saw "
              + fp.count
              + " inputs of "
              + fp.sample
              + " in full precision but "
              + q.count
              + " of "
              + q.sample
              + " quantized; the calibration batches must be the same in every pass");
    }
    int s = fp.count;
    float[] xq = q.joined();
    int perIn = (int) fp.sample.size();
    int perOut = (int) targets.sample().size();
    Tensor inputs = ops.fromArray(xq, s, perIn);
    Tensor outputs;
    try {
      outputs = ops.fromArray(targets.values(), s, perOut);
    } catch (RuntimeException e) {
      inputs.close();
      throw e;
    }
    return new LayerCapture(
        layer, network.backend(), inputs, outputs, fp.sample, targets.sample(), s);
  }

  /** One pass over the calibration batches collecting the layer's inputs. */
  private Collector observe(WeightLayer layer, int samples, boolean fullPrecision) {
    TensorOps ops = network.backend().ops();
    Collector c = new Collector(ops, samples, layer.name());
    FeatureShape in = network.inputShape();
    Batches source = data.open();
    int per = in.h() * in.w() * in.c();
    float[] images = new float[source.batchSize() * per];
    int[] labels = new int[source.batchSize()];
    network.setQuantizationBypassed(fullPrecision);
    layer.setInputObserver(c);
    try {
      source.startEpoch(0);
      for (int b = 0; b < batches && c.count < samples; b++) {
        int n = source.next(images, labels);
        if (n == 0) {
          break;
        }
        c.images = 31 * c.images + Arrays.hashCode(Arrays.copyOf(images, n * per));
        Activation ignored = network.forward(images, n, false);
      }
    } finally {
      layer.setInputObserver(null);
      network.setQuantizationBypassed(false);
    }
    return c;
  }

  /**
   * @param values {@code Y}, {@code [S, oh·ow·C_out]}
   * @param sample one sample's output shape {@code [1, oh, ow, C_out]}
   */
  private record Targets(float[] values, FeatureShape sample) {}

  /** {@code Y = layer_fp(X_fp)}, in batches of the calibration batch size. */
  private Targets targets(WeightLayer layer, float[] xfp, FeatureShape sample, int s) {
    TensorOps ops = network.backend().ops();
    int per = (int) sample.size();
    int step = Math.max(1, batchSize);
    float[] out = null;
    FeatureShape outSample = null;
    int perOut = 0;
    layer.setQuantizationBypassed(true);
    try {
      for (int from = 0; from < s; from += step) {
        int n = Math.min(step, s - from);
        try (Tensor x =
            ops.fromArray(
                Arrays.copyOfRange(xfp, from * per, (from + n) * per),
                n,
                sample.h(),
                sample.w(),
                sample.c())) {
          FeatureShape shape = new FeatureShape(n, sample.h(), sample.w(), sample.c());
          Activation y = layer.forward(new Activation(x, shape), false);
          float[] v = ops.toArray(y.tensor());
          if (out == null) {
            FeatureShape ys = y.shape();
            outSample = new FeatureShape(1, ys.h(), ys.w(), ys.c());
            perOut = (int) outSample.size();
            out = new float[checkedSize(layer, s, perOut)];
          }
          System.arraycopy(v, 0, out, from * perOut, n * perOut);
        }
      }
    } finally {
      layer.setQuantizationBypassed(false);
    }
    return new Targets(out, outSample);
  }

  private static int checkedSize(WeightLayer layer, int samples, long perSample) {
    long n = samples * perSample;
    if (n > Integer.MAX_VALUE - 8) {
      throw new CalibrationException(
          "PTQ refinement: layer "
              + layer.name()
              + ": "
              + samples
              + " samples of "
              + perSample
              + " values do not fit in one array; lower the refinement's 'samples'");
    }
    return (int) n;
  }

  /** Keeps the first {@code limit} samples of the inputs a layer sees, on the heap. */
  private static final class Collector implements Consumer<Activation> {
    private final TensorOps ops;
    private final int limit;
    private final String layer;
    private final List<float[]> chunks = new ArrayList<>();
    private FeatureShape sample;
    private int count;
    private long images; // a hash of the network inputs of the pass

    Collector(TensorOps ops, int limit, String layer) {
      this.ops = ops;
      this.limit = limit;
      this.layer = layer;
    }

    @Override
    public void accept(Activation a) {
      if (count >= limit) {
        return;
      }
      FeatureShape s = a.shape();
      FeatureShape one = new FeatureShape(1, s.h(), s.w(), s.c());
      if (sample == null) {
        sample = one;
      } else if (!sample.equals(one)) {
        throw new CalibrationException(
            "PTQ refinement: layer "
                + layer
                + " saw inputs of "
                + sample
                + " and of "
                + one
                + " per sample; layerwise reconstruction needs one shape");
      }
      int take = Math.min(s.n(), limit - count);
      float[] v = ops.toArray(a.tensor());
      int per = (int) one.size();
      chunks.add(take == s.n() ? v : Arrays.copyOf(v, take * per));
      count += take;
    }

    float[] joined() {
      long n = 0;
      for (float[] c : chunks) {
        n += c.length;
      }
      if (n > Integer.MAX_VALUE - 8) {
        throw new CalibrationException(
            "PTQ refinement: layer "
                + layer
                + ": "
                + count
                + " captured inputs of "
                + sample
                + " do not fit in one array; lower the refinement's 'samples'");
      }
      float[] out = new float[(int) n];
      int at = 0;
      for (float[] c : chunks) {
        System.arraycopy(c, 0, out, at, c.length);
        at += c.length;
      }
      chunks.clear();
      return out;
    }
  }
}
