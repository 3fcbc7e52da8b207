package org.efqat.models.cnn;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.efqat.api.backend.Backend;
import org.efqat.core.model.ModelArchitecture;
import org.efqat.core.nn.BatchNorm2d;
import org.efqat.core.nn.Conv2d;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.GlobalAvgPool;
import org.efqat.core.nn.Layer;
import org.efqat.core.nn.Linear;
import org.efqat.core.nn.MaxPool2d;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.ReLU;
import org.efqat.core.nn.Sequential;
import org.efqat.models.init.WeightInit;

/**
 * A small VGG-style CNN: three stages {@code features.{0,1,2}} of 3×3 conv (pad 1, no bias) →
 * BatchNorm → ReLU with {@code w, 2w, 4w} channels, the first two followed by 2×2/2 max pooling,
 * then global average pooling and a linear classifier {@code fc [classes, 4w]}.
 *
 * <p>An input {@code [n, h, w, c]} becomes {@code [n, ⌊h/4⌋, ⌊w/4⌋, 4w]} before pooling. The conv
 * weights ({@code [out, 3·3·in]}) are He normal and the fc weights PyTorch's uniform rule, drawn
 * from the init stream in layer order.
 */
public final class SmallCnn implements ModelArchitecture {
  private static final int STAGES = 3;

  private final String name;
  private final int width;

  /**
   * @param name the architecture's name, recorded in the network (the provider's name)
   * @param width channels of the first stage, {@code >= 1}
   */
  public SmallCnn(String name, int width) {
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
    List<Layer> layers = new ArrayList<>();
    int in = sample.c();
    for (int stage = 0; stage < STAGES; stage++) {
      int out = width << stage;
      String p = "features." + stage;
      layers.add(
          new Conv2d(
              backend,
              p + ".conv",
              in,
              out,
              3,
              1,
              1,
              false,
              WeightInit.heNormal(init, out, 9 * in)));
      layers.add(new BatchNorm2d(backend, p + ".bn", out));
      layers.add(new ReLU(backend, p + ".relu"));
      if (stage < STAGES - 1) {
        layers.add(new MaxPool2d(backend, p + ".pool", 2, 2, 0));
      }
      in = out;
    }
    layers.add(new GlobalAvgPool(backend, "pool"));
    layers.add(new Linear(backend, "fc", in, classes, WeightInit.linearUniform(init, classes, in)));
    return new Network(name, backend, new Sequential(name, layers), sample, classes);
  }

  @Override
  public String toString() {
    return name + "[width=" + width + "]";
  }
}
