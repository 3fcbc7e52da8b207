package org.efqat.experiments.compare;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;
import org.efqat.api.quant.QuantParams;
import org.efqat.core.checkpoint.NetworkCheckpoint;
import org.efqat.core.nn.Activation;
import org.efqat.core.nn.Layer;
import org.efqat.core.nn.LayerQuantization;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.Parameter;
import org.efqat.core.nn.SoftmaxCrossEntropy;
import org.efqat.core.nn.WeightLayer;
import org.efqat.core.session.ExperimentSession;

/**
 * Runs one backend on inputs identical to every other backend's, so that their outputs can be
 * compared number by number:
 *
 * <ol>
 *   <li>load the same FP checkpoint and calibrate PTQ on the same batches (the calibrated
 *       parameters are kept, to compare calibration itself);
 *   <li>overwrite every parameter with the reference backend's calibrated values, so both hold the
 *       same quantized model;
 *   <li>record the logits {@code [n, classes]} on the first {@code n} test images, and every weight
 *       layer's input on the way, raw and fake-quantized;
 *   <li>take the first EfQAT step (the run's first batch, row selection and learning rate) and
 *       record every parameter's gradient and the logits again.
 * </ol>
 */
final class AgreementProbe {
  private AgreementProbe() {}

  /**
   * One weight layer's input during the probe forward pass.
   *
   * @param layer the layer name
   * @param raw the input {@code [n, h, w, c]} as seen by the layer, before quantization
   * @param quantized the input after the layer's input quantizer, or {@code null} if full precision
   * @param passes the quantizer's straight-through mask (1 where the gradient passes, 0 where the
   *     input is clipped), or {@code null} if full precision
   * @param step the input quantizer's step, or NaN
   */
  record LayerInput(String layer, float[] raw, float[] quantized, float[] passes, float step) {}

  /**
   * @param backend the backend name
   * @param calibrated every parameter right after this backend's own calibration, by name
   * @param ptqLogits logits after PTQ on the shared parameters, {@code [n, classes]}
   * @param inputs the weight layers' inputs in network order
   * @param stepLogits logits after the first EfQAT step
   * @param stepGradients every parameter's gradient in the first EfQAT step, by name, in network
   *     order
   * @param stepInputs the weight layers' inputs in the first EfQAT step's forward pass
   * @param inputGradients per top-level layer in backward order, its input gradient in one
   *     training-mode backward pass on the probe images (labels {@code i mod classes})
   */
  record Result(
      String backend,
      Map<String, float[]> calibrated,
      float[] ptqLogits,
      List<LayerInput> inputs,
      float[] stepLogits,
      Map<String, float[]> stepGradients,
      List<LayerInput> stepInputs,
      List<LayerGradient> inputGradients) {}

  /**
   * @param layer a top-level layer
   * @param kind its class, e.g. {@code MaxPool2d}
   * @param gradInput the gradient w.r.t. its input
   */
  record LayerGradient(String layer, String kind, float[] gradInput) {}

  /**
   * @param setup the experiment's session on one backend
   * @param label the backend as the command line named it (with its options, if any)
   * @param fp the FP checkpoint every backend starts from
   * @param shared the reference's calibrated parameters, or {@code null} on the reference itself
   * @param samples how many test images to probe
   * @return the recorded numbers
   * @throws IOException if the checkpoint cannot be read
   */
  static Result run(
      ExperimentSession setup, String label, Path fp, Map<String, float[]> shared, int samples)
      throws IOException {
    Network net = setup.newNetwork();
    try {
      NetworkCheckpoint.load(net, fp);
      setup.calibrate(net);
      Map<String, float[]> calibrated = snapshot(net);
      if (shared != null) {
        overwrite(net, shared, label);
      }
      float[] images = setup.testImages(samples);
      int n = images.length / (int) net.inputShape().size();
      TensorOps ops = net.backend().ops();
      List<LayerInput> inputs = new ArrayList<>();
      float[] ptqLogits;
      observeInputs(net, inputs);
      try {
        ptqLogits = ops.toArray(net.forward(images, n, false).tensor());
      } finally {
        observeInputs(net, null);
      }
      List<LayerGradient> inputGradients = backwardByLayer(net, images, n);
      net.zeroGrad();
      List<LayerInput> stepInputs = new ArrayList<>();
      observeInputs(net, stepInputs);
      try {
        setup.efqatSteps(net, 1);
      } finally {
        observeInputs(net, null);
      }
      Map<String, float[]> gradients = new LinkedHashMap<>();
      net.parameters().forEach((name, p) -> gradients.put(name, p.grad().clone()));
      float[] stepLogits = ops.toArray(net.forward(images, n, false).tensor());
      return new Result(
          label, calibrated, ptqLogits, inputs, stepLogits, gradients, stepInputs, inputGradients);
    } finally {
      net.release();
    }
  }

  /** One training-mode forward and backward pass, keeping each top-level layer's dX. */
  private static List<LayerGradient> backwardByLayer(Network net, float[] images, int n) {
    TensorOps ops = net.backend().ops();
    Activation logits = net.forward(images, n, true);
    float[] z = ops.toArray(logits.tensor());
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % net.classes();
    }
    float[] g = new float[z.length];
    SoftmaxCrossEntropy.lossAndGradient(z, labels, n, net.classes(), g);
    List<LayerGradient> out = new ArrayList<>();
    try (Tensor gt = ops.fromArray(g, n, net.classes())) {
      Activation grad = new Activation(gt, logits.shape());
      List<Layer> layers = net.body().layers();
      for (int i = layers.size() - 1; i >= 0 && grad != null; i--) {
        Layer l = layers.get(i);
        grad = l.backward(grad);
        if (grad != null) {
          out.add(
              new LayerGradient(
                  l.name(), l.getClass().getSimpleName(), ops.toArray(grad.tensor())));
        }
      }
    }
    return out;
  }

  /** Records every weight layer's input into {@code into}, or stops when it is null. */
  private static void observeInputs(Network net, List<LayerInput> into) {
    TensorOps ops = net.backend().ops();
    for (WeightLayer layer : net.weightLayers()) {
      layer.setInputObserver(
          into == null ? null : a -> into.add(input(layer, ops.toArray(a.tensor()))));
    }
  }

  private static LayerInput input(WeightLayer layer, float[] raw) {
    LayerQuantization q = layer.quantization();
    if (q == null) {
      return new LayerInput(layer.name(), raw, null, null, Float.NaN);
    }
    QuantParams params = LayerQuantization.view(layer.inputStep(), layer.inputZeroPoint());
    float[] quantized = new float[raw.length];
    q.inputs().forward(raw, params, quantized);
    float[] ones = new float[raw.length];
    java.util.Arrays.fill(ones, 1f);
    float[] passes = new float[raw.length];
    q.inputs().backward(raw, ones, params, passes, QuantParams.ofGroups(1));
    return new LayerInput(layer.name(), raw, quantized, passes, layer.inputStep().value()[0]);
  }

  private static Map<String, float[]> snapshot(Network net) {
    Map<String, float[]> m = new LinkedHashMap<>();
    net.parameters().forEach((name, p) -> m.put(name, p.value().clone()));
    return m;
  }

  private static void overwrite(Network net, Map<String, float[]> values, String backend) {
    Map<String, Parameter> params = net.parameters();
    if (!params.keySet().equals(values.keySet())) {
      throw new IllegalStateException(
          "the network on "
              + backend
              + " has other parameters than the reference: "
              + params.keySet()
              + " vs "
              + values.keySet());
    }
    params.forEach(
        (name, p) -> {
          float[] v = values.get(name);
          if (v.length != p.value().length) {
            throw new IllegalStateException(
                name
                    + " on "
                    + backend
                    + " has "
                    + p.value().length
                    + " values, the reference "
                    + v.length);
          }
          System.arraycopy(v, 0, p.value(), 0, v.length);
        });
  }
}
