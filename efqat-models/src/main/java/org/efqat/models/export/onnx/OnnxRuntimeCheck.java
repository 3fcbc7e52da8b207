package org.efqat.models.export.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Map;
import java.util.Objects;
import org.efqat.core.nn.Activation;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.Network;
import org.efqat.core.train.Batches;

/**
 * Runs an exported model in ONNX Runtime (CPU) and compares it with the network it came from, batch
 * by batch on the same samples: the network's logits from its own forward pass (fake quantization,
 * evaluation mode) and ONNX Runtime's from the QDQ model.
 */
public final class OnnxRuntimeCheck implements AutoCloseable {
  private final OrtEnvironment env;
  private final OrtSession session;
  private final OnnxExport export;
  private final OrtOptimization optimization;

  private OnnxRuntimeCheck(
      OrtEnvironment env, OrtSession session, OnnxExport export, OrtOptimization optimization) {
    this.env = env;
    this.session = session;
    this.export = export;
    this.optimization = optimization;
  }

  /**
   * @param export an exported model
   * @param optimization ONNX Runtime's graph optimizations
   * @return a session on it; close it when done
   * @throws OnnxExportException if ONNX Runtime rejects the model (the message is its own)
   */
  public static OnnxRuntimeCheck open(OnnxExport export, OrtOptimization optimization) {
    Objects.requireNonNull(export, "export is null");
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      optimization.apply(options);
      return new OnnxRuntimeCheck(
          env, env.createSession(export.model().toByteArray(), options), export, optimization);
    } catch (OrtException e) {
      throw new OnnxExportException("ONNX Runtime rejects the exported model: " + e.getMessage());
    }
  }

  /**
   * @return ONNX Runtime's version and the optimization level
   */
  public String runtime() {
    return env.getVersion() + ", graph optimizations " + optimization.cliName();
  }

  /**
   * @param samples {@code n} samples as the network takes them: NHWC images {@code [n, h, w, c]} or
   *     token ids {@code [n, 1, L, 1]} as floats
   * @param n the number of samples
   * @param sample one sample's shape {@code [1, h, w, c]}
   * @return the logits {@code [n, classes]}, row-major
   */
  public float[] logits(float[] samples, int n, FeatureShape sample) {
    long[] dims = export.inputDims();
    dims[0] = n;
    try (OnnxTensor in = input(samples, n, sample, dims);
        OrtSession.Result r = session.run(Map.of(export.input().valueName(), in))) {
      FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
      float[] out = new float[fb.remaining()];
      fb.get(out);
      return out;
    } catch (OrtException e) {
      throw new OnnxExportException("ONNX Runtime failed to run the model: " + e.getMessage());
    }
  }

  private OnnxTensor input(float[] samples, int n, FeatureShape s, long[] dims)
      throws OrtException {
    if (export.input() == OnnxInput.TOKEN_IDS) {
      long[] ids = new long[n * s.w()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = (long) samples[i];
      }
      return OnnxTensor.createTensor(env, LongBuffer.wrap(ids), dims);
    }
    int h = s.h();
    int w = s.w();
    int c = s.c();
    float[] nchw = new float[n * h * w * c];
    for (int b = 0; b < n; b++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          for (int k = 0; k < c; k++) {
            nchw[((b * c + k) * h + y) * w + x] = samples[((b * h + y) * w + x) * c + k];
          }
        }
      }
    }
    return OnnxTensor.createTensor(env, FloatBuffer.wrap(nchw), dims);
  }

  /**
   * Runs both on the batches of one epoch of {@code data} (at most {@code maxSamples}).
   *
   * @param network the network the model was exported from
   * @param data the test batches, in order
   * @param maxSamples the most samples to compare
   * @return the comparison
   */
  public ExportCheck compare(Network network, Batches data, int maxSamples) {
    FeatureShape in = network.inputShape();
    int classes = network.classes();
    float[] samples = new float[(int) (data.batchSize() * in.size())];
    int[] labels = new int[data.batchSize()];
    data.startEpoch(0);
    int total = 0;
    int correctNetwork = 0;
    int correctOnnx = 0;
    int disagree = 0;
    double maxDiff = 0;
    double sumDiff = 0;
    double maxLogit = 0;
    int n;
    while (total < maxSamples && (n = data.next(samples, labels)) > 0) {
      n = Math.min(n, maxSamples - total);
      Activation a = network.forward(samples, n, false);
      float[] mine = network.backend().ops().toArray(a.tensor());
      float[] theirs = logits(samples, n, in);
      for (int i = 0; i < n; i++) {
        int am = argmax(mine, i * classes, classes);
        int ao = argmax(theirs, i * classes, classes);
        correctNetwork += am == labels[i] ? 1 : 0;
        correctOnnx += ao == labels[i] ? 1 : 0;
        disagree += am == ao ? 0 : 1;
        for (int j = i * classes; j < (i + 1) * classes; j++) {
          double d = Math.abs((double) theirs[j] - mine[j]);
          maxDiff = Double.isNaN(d) ? Double.NaN : Math.max(maxDiff, d);
          sumDiff += d;
          maxLogit = Math.max(maxLogit, Math.abs(mine[j]));
        }
      }
      total += n;
    }
    return new ExportCheck(
        total,
        total == 0 ? 0 : (double) correctNetwork / total,
        total == 0 ? 0 : (double) correctOnnx / total,
        maxDiff,
        total == 0 ? 0 : sumDiff / ((double) total * classes),
        maxLogit,
        disagree,
        runtime());
  }

  /** The first largest value, as {@code SoftmaxCrossEntropy} counts accuracy. */
  private static int argmax(float[] v, int from, int n) {
    int arg = 0;
    float max = Float.NEGATIVE_INFINITY;
    for (int c = 0; c < n; c++) {
      if (v[from + c] > max) {
        max = v[from + c];
        arg = c;
      }
    }
    return arg;
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new OnnxExportException("ONNX Runtime failed to close its session: " + e.getMessage());
    }
  }
}
