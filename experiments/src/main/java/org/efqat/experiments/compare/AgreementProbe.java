package org.efqat.experiments.compare;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.efqat.api.backend.TensorOps;
import org.efqat.core.checkpoint.NetworkCheckpoint;
import org.efqat.core.nn.LayerQuantization;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.Parameter;
import org.efqat.core.nn.WeightLayer;
import org.efqat.experiments.run.ExperimentSetup;

/**
 * Runs one backend on inputs identical to every other backend's, so that their outputs can be
 * compared number by number:
 *
 * <ol>
 *   <li>load the same FP checkpoint and calibrate PTQ on the same batches (the calibrated
 *       parameters are kept, to compare calibration itself);
 *   <li>overwrite every parameter with the reference backend's calibrated values, so both hold the
 *       same quantized model;
 *   <li>record the logits {@code [n, classes]} on the first {@code n} test images, and every
 *       weight layer's input on the way, raw and fake-quantized;
 *   <li>take the first EfQAT step (the run's first batch, row selection and learning rate) and
 *       record the logits again.
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
   * @param step the input quantizer's step, or NaN
   */
  record LayerInput(String layer, float[] raw, float[] quantized, float step) {}

  /**
   * @param backend the backend name
   * @param calibrated every parameter right after this backend's own calibration, by name
   * @param ptqLogits logits after PTQ on the shared parameters, {@code [n, classes]}
   * @param inputs the weight layers' inputs in network order
   * @param stepLogits logits after the first EfQAT step
   */
  record Result(String backend, Map<String, float[]> calibrated, float[] ptqLogits,
      List<LayerInput> inputs, float[] stepLogits) {}

  /**
   * @param setup the experiment on one backend
   * @param fp the FP checkpoint every backend starts from
   * @param shared the reference's calibrated parameters, or {@code null} on the reference itself
   * @param samples how many test images to probe
   * @return the recorded numbers
   * @throws IOException if the checkpoint cannot be read
   */
  static Result run(ExperimentSetup setup, Path fp, Map<String, float[]> shared, int samples)
      throws IOException {
    Network net = setup.newNetwork();
    try {
      NetworkCheckpoint.load(net, fp);
      setup.calibrate(net);
      Map<String, float[]> calibrated = snapshot(net);
      if (shared != null) {
        overwrite(net, shared, setup.backend().name());
      }
      float[] images = setup.testImages(samples);
      int n = images.length / (int) (net.inputShape().size());
      List<LayerInput> inputs = new ArrayList<>();
      TensorOps ops = net.backend().ops();
      for (WeightLayer layer : net.weightLayers()) {
        layer.setInputObserver(a -> inputs.add(input(layer, ops.toArray(a.tensor()))));
      }
      float[] ptqLogits;
      try {
        ptqLogits = ops.toArray(net.forward(images, n, false).tensor());
      } finally {
        net.weightLayers().forEach(l -> l.setInputObserver(null));
      }
      setup.efqatSteps(net, 1);
      float[] stepLogits = ops.toArray(net.forward(images, n, false).tensor());
      return new Result(setup.backend().name(), calibrated, ptqLogits, inputs, stepLogits);
    } finally {
      net.release();
    }
  }

  private static LayerInput input(WeightLayer layer, float[] raw) {
    LayerQuantization q = layer.quantization();
    if (q == null) {
      return new LayerInput(layer.name(), raw, null, Float.NaN);
    }
    float[] quantized = new float[raw.length];
    q.inputs().forward(raw, LayerQuantization.view(layer.inputStep(), layer.inputZeroPoint()),
        quantized);
    return new LayerInput(layer.name(), raw, quantized, layer.inputStep().value()[0]);
  }

  private static Map<String, float[]> snapshot(Network net) {
    Map<String, float[]> m = new LinkedHashMap<>();
    net.parameters().forEach((name, p) -> m.put(name, p.value().clone()));
    return m;
  }

  private static void overwrite(Network net, Map<String, float[]> values, String backend) {
    Map<String, Parameter> params = net.parameters();
    if (!params.keySet().equals(values.keySet())) {
      throw new IllegalStateException("the network on " + backend
          + " has other parameters than the reference: " + params.keySet() + " vs "
          + values.keySet());
    }
    params.forEach((name, p) -> {
      float[] v = values.get(name);
      if (v.length != p.value().length) {
        throw new IllegalStateException(name + " on " + backend + " has " + p.value().length
            + " values, the reference " + v.length);
      }
      System.arraycopy(v, 0, p.value(), 0, v.length);
    });
  }
}
