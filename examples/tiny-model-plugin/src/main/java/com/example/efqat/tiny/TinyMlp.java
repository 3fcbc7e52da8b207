package com.example.efqat.tiny;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.SplittableRandom;
import org.efqat.api.backend.Backend;
import org.efqat.core.model.ModelArchitecture;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.Flatten;
import org.efqat.core.nn.Linear;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.ReLU;
import org.efqat.core.nn.Sequential;

/**
 * A one-hidden-layer perceptron: {@code [n, h, w, c]} flattened to {@code [n, h·w·c]}, then {@code
 * fc1 (hidden) → ReLU → fc2 (classes)}. Parameters {@code fc1.weight [hidden, h·w·c]}, {@code
 * fc2.weight [classes, hidden]} and their biases (zero at start).
 *
 * <p>Initialization, drawn from the init stream in this order: {@code fc1} He normal {@code N(0,
 * 2/fan_in)}, {@code fc2} PyTorch's {@code nn.Linear} rule {@code U(±1/sqrt(fan_in))}.
 */
public final class TinyMlp implements ModelArchitecture {
  private final String name;
  private final int hidden;

  /**
   * @param name the architecture's name, recorded in the network
   * @param hidden hidden units, {@code >= 1}
   */
  public TinyMlp(String name, int hidden) {
    this.name = requireNonNull(name, "name is null");
    if (hidden < 1) {
      throw new IllegalArgumentException(name + ": hidden must be >= 1 (was " + hidden + ")");
    }
    this.hidden = hidden;
  }

  @Override
  public Network build(Backend backend, FeatureShape sample, int classes, SplittableRandom init) {
    requireNonNull(backend, "backend is null");
    requireNonNull(sample, "sample is null");
    requireNonNull(init, "init is null");
    int in = sample.h() * sample.w() * sample.c();
    float[] w1 = new float[hidden * in];
    double std = Math.sqrt(2.0 / in);
    for (int i = 0; i < w1.length; i++) {
      w1[i] = (float) (init.nextGaussian() * std);
    }
    float[] w2 = new float[classes * hidden];
    double bound = 1.0 / Math.sqrt(hidden);
    for (int i = 0; i < w2.length; i++) {
      w2[i] = (float) ((init.nextDouble() * 2 - 1) * bound);
    }
    Sequential body =
        new Sequential(
            name,
            List.of(
                new Flatten("flatten"),
                new Linear(backend, "fc1", in, hidden, w1),
                new ReLU(backend, "relu"),
                new Linear(backend, "fc2", hidden, classes, w2)));
    return new Network(name, backend, body, sample, classes);
  }
}
