package org.efqat.core.nn;

import java.util.ArrayList;
import java.util.List;
import org.efqat.core.profile.LayerProfiler;

/** Layers applied in order; the backward pass runs them in reverse. */
public final class Sequential implements Layer {
  private final String name;
  private final List<Layer> layers;
  private LayerProfiler profiler;

  /**
   * @param name a name for messages
   * @param layers the layers, in order
   */
  public Sequential(String name, List<Layer> layers) {
    this.name = name;
    this.layers = new ArrayList<>(layers);
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * @return the layers, in order (a copy)
   */
  public List<Layer> layers() {
    return List.copyOf(layers);
  }

  @Override
  public Activation forward(Activation input, boolean training) {
    Activation a = input;
    for (Layer l : layers) {
      if (profiler == null || l.isComposite()) {
        a = l.forward(a, training);
      } else {
        long t0 = System.nanoTime();
        a = l.forward(a, training);
        profiler.record(l.name(), LayerProfiler.Phase.FORWARD, System.nanoTime() - t0);
      }
    }
    return a;
  }

  @Override
  public Activation backward(Activation gradOutput) {
    Activation g = gradOutput;
    for (int i = layers.size() - 1; i >= 0 && g != null; i--) {
      Layer l = layers.get(i);
      if (profiler == null || l.isComposite()) {
        g = l.backward(g);
      } else {
        long t0 = System.nanoTime();
        g = l.backward(g);
        profiler.record(l.name(), LayerProfiler.Phase.BACKWARD, System.nanoTime() - t0);
      }
    }
    return g;
  }

  @Override
  public List<Parameter> parameters() {
    List<Parameter> p = new ArrayList<>();
    layers.forEach(l -> p.addAll(l.parameters()));
    return p;
  }

  @Override
  public List<WeightLayer> weightLayers() {
    List<WeightLayer> w = new ArrayList<>();
    layers.forEach(l -> w.addAll(l.weightLayers()));
    return w;
  }

  @Override
  public List<ActivationFakeQuant> activationQuantizers() {
    List<ActivationFakeQuant> a = new ArrayList<>();
    layers.forEach(l -> a.addAll(l.activationQuantizers()));
    return a;
  }

  @Override
  public void setProfiler(LayerProfiler profiler) {
    this.profiler = profiler;
    layers.forEach(l -> l.setProfiler(profiler));
  }

  @Override
  public void setTrainingStep(long step) {
    layers.forEach(l -> l.setTrainingStep(step));
  }

  @Override
  public boolean isComposite() {
    return true;
  }

  @Override
  public void setInputGradNeeded(boolean needed) {
    if (!layers.isEmpty()) {
      layers.get(0).setInputGradNeeded(needed);
    }
  }

  /**
   * Folds every BatchNorm that directly follows a weight layer into it (the deployed form,
   * DESIGN.md 1.3): {@code W' = W·γ/σ} per row and {@code b' = (b − μ)·γ/σ + β}, with {@code σ =
   * sqrt(running_var + eps)}; the BatchNorm is removed. Recurses into residual blocks.
   */
  public void foldBatchNorm() {
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      if (l instanceof ResidualBlock block) {
        block.foldBatchNorm();
      } else if (l instanceof WeightLayer w
          && i + 1 < layers.size()
          && layers.get(i + 1) instanceof BatchNorm2d bn) {
        fold(w, bn);
        layers.remove(i + 1).release();
      }
    }
  }

  static void fold(WeightLayer w, BatchNorm2d bn) {
    w.ensureBias();
    float[] weights = w.weight().value();
    float[] bias = w.bias().value();
    int k = w.weight().rowSize();
    for (int r = 0; r < w.outChannels(); r++) {
      double scale =
          bn.gamma().value()[r] / Math.sqrt(bn.runningVar().value()[r] + BatchNorm2d.EPS);
      for (int j = 0; j < k; j++) {
        weights[r * k + j] = (float) (weights[r * k + j] * scale);
      }
      bias[r] = (float) ((bias[r] - bn.runningMean().value()[r]) * scale + bn.beta().value()[r]);
    }
  }

  @Override
  public void release() {
    layers.forEach(Layer::release);
  }
}
