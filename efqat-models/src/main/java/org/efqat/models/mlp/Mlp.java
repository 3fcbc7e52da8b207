package org.efqat.models.mlp;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.SplittableRandom;
import org.efqat.api.backend.Backend;
import org.efqat.core.model.ModelArchitecture;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.Flatten;
import org.efqat.core.nn.Layer;
import org.efqat.core.nn.Linear;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.ReLU;
import org.efqat.core.nn.Sequential;
import org.efqat.models.init.WeightInit;

/**
 * A multi-layer perceptron for images: flatten {@code [n, h, w, c]} to {@code [n, h·w·c]}, then
 * {@code fc1 (width) → ReLU → fc2 (width) → ReLU → fc3 (classes)}.
 *
 * <p>Parameters {@code fc{1,2,3}.weight [out, in]} and {@code fc{1,2,3}.bias [out]}. The weights
 * are drawn from the init stream in layer order: He normal for {@code fc1} and {@code fc2},
 * PyTorch's {@code nn.Linear} uniform rule for {@code fc3}; biases start at 0.
 */
public final class Mlp implements ModelArchitecture {
  private final String name;
  private final int width;

  /**
   * @param name the architecture's name, recorded in the network (the provider's name)
   * @param width hidden units of {@code fc1} and {@code fc2}, {@code >= 1}
   */
  public Mlp(String name, int width) {
    this.name = requireNonNull(name, "name is null");
    if (width < 1) {
      throw new IllegalArgumentException(name + ": width must be >= 1 (was " + width + ")");
    }
    this.width = width;
  }

  @Override
  public Network build(Backend backend, FeatureShape sample, int classes, SplittableRandom init) {
    requireNonNull(backend, "backend is null");
    requireNonNull(sample, "sample is null");
    requireNonNull(init, "init is null");
    int in = sample.h() * sample.w() * sample.c();
    List<Layer> layers =
        List.of(
            new Flatten("flatten"),
            new Linear(backend, "fc1", in, width, WeightInit.heNormal(init, width, in)),
            new ReLU(backend, "relu1"),
            new Linear(backend, "fc2", width, width, WeightInit.heNormal(init, width, width)),
            new ReLU(backend, "relu2"),
            new Linear(
                backend, "fc3", width, classes, WeightInit.linearUniform(init, classes, width)));
    return new Network(name, backend, new Sequential(name, layers), sample, classes);
  }

  @Override
  public String toString() {
    return name + "[width=" + width + "]";
  }
}
