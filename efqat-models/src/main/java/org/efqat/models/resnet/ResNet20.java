package org.efqat.models.resnet;

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
import org.efqat.core.nn.Network;
import org.efqat.core.nn.ReLU;
import org.efqat.core.nn.ResidualBlock;
import org.efqat.core.nn.Sequential;
import org.efqat.models.init.WeightInit;

/**
 * ResNet-20 for small images (He et al. 2016, section 4.2): a 3×3 stem conv with {@code w}
 * channels, three stages of three basic blocks with {@code w, 2w, 4w} channels (the first block of
 * stages 2 and 3 has stride 2 and a 1×1 conv + BatchNorm projection shortcut), global average
 * pooling and a linear classifier. Convolutions have no bias.
 *
 * <p>Parameter names are those of the PyTorch reference in {@code shared/anchors/
 * pytorch_qat_bench.py} ({@code state_dict} keys), so a model trained there loads directly:
 *
 * <pre>
 *   conv.weight                       [w, C_in, 3, 3]
 *   bn.{weight,bias,running_mean,running_var}
 *   layers.{0..8}.c1.weight           [c_out, c_in, 3, 3]     layers.{i}.b1.*
 *   layers.{0..8}.c2.weight           [c_out, c_out, 3, 3]    layers.{i}.b2.*
 *   layers.{3,6}.short.0.weight       [c_out, c_in, 1, 1]     layers.{3,6}.short.1.*
 *   fc.weight [classes, 4w], fc.bias [classes]
 * </pre>
 */
public final class ResNet20 implements ModelArchitecture {
  private final String name;
  private final int width;

  /**
   * @param name the architecture's name, recorded in the network (the provider's name)
   * @param width channels of the first stage (16 in the paper), {@code >= 1}
   */
  public ResNet20(String name, int width) {
    this.name = requireNonNull(name, "name is null");
    if (width < 1) {
      throw new IllegalArgumentException(name + ": width must be >= 1 (was " + width + ")");
    }
    this.width = width;
  }

  /**
   * Builds the network; the weights are drawn from {@code init} in layer order.
   *
   * @param backend where it computes
   * @param input one sample's shape {@code [1, h, w, c]}
   * @param classes the class count
   * @param random the initialization stream
   * @return the network
   */
  @Override
  public Network build(Backend backend, FeatureShape input, int classes, SplittableRandom random) {
    requireNonNull(backend, "backend is null");
    requireNonNull(input, "input is null");
    requireNonNull(random, "random is null");
    List<Layer> layers = new ArrayList<>();
    layers.add(conv(backend, "conv", input.c(), width, 3, 1, random));
    layers.add(new BatchNorm2d(backend, "bn", width));
    layers.add(new ReLU(backend, "relu"));
    int in = width;
    int index = 0;
    for (int stage = 0; stage < 3; stage++) {
      int out = width << stage;
      for (int b = 0; b < 3; b++) {
        int stride = stage > 0 && b == 0 ? 2 : 1;
        String p = "layers." + index++;
        Sequential main =
            new Sequential(
                p,
                List.of(
                    conv(backend, p + ".c1", in, out, 3, stride, random),
                    new BatchNorm2d(backend, p + ".b1", out),
                    new ReLU(backend, p + ".r1"),
                    conv(backend, p + ".c2", out, out, 3, 1, random),
                    new BatchNorm2d(backend, p + ".b2", out)));
        Sequential shortcut =
            stride != 1 || in != out
                ? new Sequential(
                    p + ".short",
                    List.of(
                        conv(backend, p + ".short.0", in, out, 1, stride, random),
                        new BatchNorm2d(backend, p + ".short.1", out)))
                : null;
        layers.add(new ResidualBlock(backend, p, main, shortcut));
        in = out;
      }
    }
    layers.add(new GlobalAvgPool(backend, "pool"));
    layers.add(
        new Linear(backend, "fc", in, classes, WeightInit.linearUniform(random, classes, in)));
    return new Network(name, backend, new Sequential(name, layers), input, classes);
  }

  @Override
  public String toString() {
    return name + "[width=" + width + "]";
  }

  private static Conv2d conv(
      Backend backend, String name, int in, int out, int k, int stride, SplittableRandom random) {
    return new Conv2d(
        backend,
        name,
        in,
        out,
        k,
        stride,
        k / 2,
        false,
        WeightInit.heNormal(random, out, k * k * in));
  }
}
