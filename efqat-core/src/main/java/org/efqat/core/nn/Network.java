package org.efqat.core.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.Tensor;
import org.efqat.core.profile.LayerProfiler;

/**
 * A classification network: a {@link Sequential} body from NHWC images {@code [n, h, w, c]} to
 * logits {@code [n, 1, 1, classes]}, and the backend it runs on.
 */
public final class Network {
  private final String architecture;
  private final Backend backend;
  private final Sequential body;
  private final FeatureShape inputShape;
  private final int classes;
  private Tensor input;

  /**
   * @param architecture e.g. {@code resnet20}
   * @param backend where it computes
   * @param body the layers
   * @param inputShape one sample's shape {@code [1, h, w, c]}
   * @param classes the number of classes
   */
  public Network(
      String architecture, Backend backend, Sequential body, FeatureShape inputShape, int classes) {
    this.architecture = architecture;
    this.backend = backend;
    this.body = body;
    this.inputShape = inputShape;
    this.classes = classes;
    body.setInputGradNeeded(false);
  }

  /**
   * @return the architecture name
   */
  public String architecture() {
    return architecture;
  }

  /**
   * @return the backend
   */
  public Backend backend() {
    return backend;
  }

  /**
   * @return the layers
   */
  public Sequential body() {
    return body;
  }

  /**
   * @return one sample's shape {@code [1, h, w, c]}
   */
  public FeatureShape inputShape() {
    return inputShape;
  }

  /**
   * @return the number of classes
   */
  public int classes() {
    return classes;
  }

  /**
   * Uploads a batch and runs the forward pass.
   *
   * @param images NHWC pixels of {@code n} samples (at least {@code n·h·w·c} values)
   * @param n the batch size
   * @param training training mode (batch statistics; keep what backward needs)
   * @return the logits {@code [n, 1, 1, classes]}
   */
  public Activation forward(float[] images, int n, boolean training) {
    FeatureShape s = new FeatureShape(n, inputShape.h(), inputShape.w(), inputShape.c());
    int size = (int) s.size();
    if (input == null || input.size() != size) {
      if (input != null) {
        input.close();
      }
      input = backend.ops().zeros(s.dims());
    }
    float[] data = images.length == size ? images : java.util.Arrays.copyOf(images, size);
    backend.ops().copyFrom(data, input);
    return body.forward(new Activation(input, s), training);
  }

  /**
   * @param step the training step the next forward pass belongs to (see {@link
   *     Layer#setTrainingStep})
   */
  public void setTrainingStep(long step) {
    body.setTrainingStep(step);
  }

  /**
   * @param gradLogits {@code ∂loss/∂logits}, {@code [n, classes]}, on the backend
   */
  public void backward(Activation gradLogits) {
    body.backward(gradLogits);
  }

  /**
   * @return every parameter and buffer by checkpoint name, in network order
   */
  public Map<String, Parameter> parameters() {
    Map<String, Parameter> m = new LinkedHashMap<>();
    for (Parameter p : body.parameters()) {
      if (m.put(p.name(), p) != null) {
        throw new IllegalStateException("parameter name " + p.name() + " appears twice");
      }
    }
    return m;
  }

  /**
   * @return the weight layers (the ones EfQAT quantizes and freezes), in network order
   */
  public List<WeightLayer> weightLayers() {
    return body.weightLayers();
  }

  /**
   * @return the activation quantizers outside the weight layers (see {@link
   *     Layer#activationQuantizers()}), in network order
   */
  public List<ActivationFakeQuant> activationQuantizers() {
    return body.activationQuantizers();
  }

  /**
   * Runs the network in full precision while {@code true}: every weight layer and every activation
   * quantizer skips fake quantization (their quantizers and parameters are kept). PTQ refinements
   * use it to capture the full-precision inputs and outputs of a layer of a quantized network
   * ({@code org.efqat.core.ptq.LayerwiseReconstruction}); set it back to {@code false} afterwards.
   *
   * @param bypassed whether to skip fake quantization everywhere
   */
  public void setQuantizationBypassed(boolean bypassed) {
    for (WeightLayer l : weightLayers()) {
      l.setQuantizationBypassed(bypassed);
    }
    for (ActivationFakeQuant a : activationQuantizers()) {
      a.setQuantizationBypassed(bypassed);
    }
  }

  /**
   * Times every leaf layer's forward and backward pass from now on.
   *
   * @param profiler where the times go, or {@code null} to stop
   */
  public void setProfiler(LayerProfiler profiler) {
    body.setProfiler(profiler);
  }

  /** Sets every gradient to zero. */
  public void zeroGrad() {
    body.parameters().forEach(Parameter::zeroGrad);
  }

  /** Folds BatchNorm into the preceding convolutions (see {@link Sequential#foldBatchNorm}). */
  public void foldBatchNorm() {
    body.foldBatchNorm();
  }

  /** Releases backend buffers. */
  public void release() {
    body.release();
    if (input != null) {
      input.close();
    }
  }
}
