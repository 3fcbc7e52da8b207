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
import org.efqat.core.nn.MaxPool2d;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.ReLU;
import org.efqat.core.nn.ResidualBlock;
import org.efqat.core.nn.Sequential;
import org.efqat.models.init.WeightInit;

/**
 * ResNet-50 for ImageNet (He et al. 2016, "Deep Residual Learning for Image Recognition", table 1),
 * in torchvision's layout ({@code torchvision.models.resnet50}): the "v1.5" variant that puts the
 * stride of a downsampling bottleneck on its 3×3 convolution (the paper puts it on the first 1×1).
 * With {@code w} the stem width (64 in the standard model) and an NHWC input {@code [n, 224, 224,
 * 3]}:
 *
 * <pre>
 *   conv1 7×7/2 pad 3, bn1, relu      [n, 112, 112, w]
 *   maxpool 3×3/2 pad 1               [n,  56,  56, w]
 *   layer1  3 bottlenecks, stride 1   [n,  56,  56,  4w]    (planes w)
 *   layer2  4 bottlenecks, stride 2   [n,  28,  28,  8w]    (planes 2w)
 *   layer3  6 bottlenecks, stride 2   [n,  14,  14, 16w]    (planes 4w)
 *   layer4  3 bottlenecks, stride 2   [n,   7,   7, 32w]    (planes 8w)
 *   avgpool (global average)          [n,   1,   1, 32w]
 *   fc                                [n,   1,   1, classes]
 * </pre>
 *
 * A bottleneck with {@code p} planes computes {@code relu(main(x) + shortcut(x))} with {@code main
 * = conv1 1×1 (p) → bn1 → relu → conv2 3×3/s pad 1 (p) → bn2 → relu → conv3 1×1 (4p) → bn3}; the
 * shortcut is the identity, or, in the first block of each stage (where the stride is 2 or the
 * channels change), a projection {@code downsample = 1×1/s conv (4p) → BatchNorm}. Convolutions
 * have no bias. Other input sizes work as long as every stage keeps at least one position; each
 * 3×3/2 or 7×7/2 step maps {@code h} to {@code ⌊(h − 1)/2⌋ + 1}.
 *
 * <p>Parameter names are torchvision's {@code state_dict} keys, so a torchvision checkpoint
 * converted to safetensors loads with {@code NetworkCheckpoint.load}:
 *
 * <pre>
 *   conv1.weight                          [w, C_in, 7, 7]
 *   bn1.{weight,bias,running_mean,running_var}
 *   layer{1..4}.{i}.conv1.weight          [p, c_in, 1, 1]     layer{s}.{i}.bn1.*
 *   layer{1..4}.{i}.conv2.weight          [p, p, 3, 3]        layer{s}.{i}.bn2.*
 *   layer{1..4}.{i}.conv3.weight          [4p, p, 1, 1]       layer{s}.{i}.bn3.*
 *   layer{1..4}.0.downsample.0.weight     [4p, c_in, 1, 1]    layer{s}.0.downsample.1.*
 *   fc.weight [classes, 32w], fc.bias [classes]
 * </pre>
 *
 * (BatchNorm's {@code num_batches_tracked} is not kept; the loader ignores it.) The standard model
 * ({@code w = 64}, 1000 classes) has 25,557,032 trainable parameters, as torchvision's, plus 53,120
 * BatchNorm running statistics, and 54 weight layers: the 49 convolutions of the main path that
 * give ResNet-50 its name (with fc, 50), the 4 projection convolutions, and fc.
 *
 * <p>Initialization follows torchvision: He normal in fan-out mode for convolutions ({@link
 * WeightInit#heNormalFanOut}), BatchNorm γ = 1 and β = 0 everywhere (torchvision's default {@code
 * zero_init_residual=False}: the last BatchNorm of a block is not zeroed), and PyTorch's {@code
 * nn.Linear} default {@code U(±1/sqrt(32w))} for the fc weights and bias.
 */
public final class ResNet50 implements ModelArchitecture {
  /** The stem width of the standard model. */
  public static final int STANDARD_WIDTH = 64;

  /** Output channels of a bottleneck per plane. */
  public static final int EXPANSION = 4;

  /** Bottleneck blocks per stage (layer1..layer4). */
  public static final List<Integer> BLOCKS = List.of(3, 4, 6, 3);

  private final String name;
  private final int width;

  /**
   * @param name the architecture's name, recorded in the network (the provider's name)
   * @param width the stem's channels, {@link #STANDARD_WIDTH} in the standard model; stage {@code
   *     s} (0-based) has {@code width·2^s} planes and {@code 4·width·2^s} output channels
   */
  public ResNet50(String name, int width) {
    this.name = requireNonNull(name, "name is null");
    if (width < 1) {
      throw new IllegalArgumentException(name + ": width must be >= 1 (was " + width + ")");
    }
    this.width = width;
  }

  /**
   * Builds the network; the weights are drawn from {@code random} in layer order, then the fc bias.
   *
   * @param backend where it computes
   * @param input one sample's shape {@code [1, h, w, c]} ({@code [1, 224, 224, 3]} for ImageNet)
   * @param classes the class count (1000 for ImageNet)
   * @param random the initialization stream
   * @return the network
   */
  @Override
  public Network build(Backend backend, FeatureShape input, int classes, SplittableRandom random) {
    requireNonNull(backend, "backend is null");
    requireNonNull(input, "input is null");
    requireNonNull(random, "random is null");
    if (classes < 1 || input.c() < 1) {
      throw new IllegalArgumentException(
          name + ": classes " + classes + " and input channels " + input.c() + " must be >= 1");
    }
    List<Layer> layers = new ArrayList<>();
    layers.add(conv(backend, "conv1", input.c(), width, 7, 2, random));
    layers.add(new BatchNorm2d(backend, "bn1", width));
    layers.add(new ReLU(backend, "relu"));
    layers.add(new MaxPool2d(backend, "maxpool", 3, 2, 1));
    int in = width;
    for (int stage = 0; stage < BLOCKS.size(); stage++) {
      int planes = width << stage;
      int out = planes * EXPANSION;
      for (int b = 0; b < BLOCKS.get(stage); b++) {
        int stride = stage > 0 && b == 0 ? 2 : 1;
        layers.add(
            bottleneck(backend, "layer" + (stage + 1) + "." + b, in, planes, stride, random));
        in = out;
      }
    }
    layers.add(new GlobalAvgPool(backend, "avgpool"));
    Linear fc =
        new Linear(backend, "fc", in, classes, WeightInit.linearUniform(random, classes, in));
    double bound = 1.0 / Math.sqrt(in);
    float[] bias = fc.bias().value();
    for (int i = 0; i < bias.length; i++) {
      bias[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
    }
    layers.add(fc);
    return new Network(name, backend, new Sequential(name, layers), input, classes);
  }

  @Override
  public String toString() {
    return name + "[width=" + width + "]";
  }

  /**
   * torchvision's {@code Bottleneck} (v1.5: the stride is on {@code conv2}).
   *
   * @param p the block prefix, e.g. {@code layer2.0}
   * @param in input channels
   * @param planes the bottleneck width; the block outputs {@code 4·planes}
   * @param stride 1, or 2 in the first block of layer2..layer4
   */
  private static ResidualBlock bottleneck(
      Backend backend, String p, int in, int planes, int stride, SplittableRandom random) {
    int out = planes * EXPANSION;
    Sequential main =
        new Sequential(
            p,
            List.of(
                conv(backend, p + ".conv1", in, planes, 1, 1, random),
                new BatchNorm2d(backend, p + ".bn1", planes),
                new ReLU(backend, p + ".relu.0"),
                conv(backend, p + ".conv2", planes, planes, 3, stride, random),
                new BatchNorm2d(backend, p + ".bn2", planes),
                new ReLU(backend, p + ".relu.1"),
                conv(backend, p + ".conv3", planes, out, 1, 1, random),
                new BatchNorm2d(backend, p + ".bn3", out)));
    Sequential downsample =
        stride != 1 || in != out
            ? new Sequential(
                p + ".downsample",
                List.of(
                    conv(backend, p + ".downsample.0", in, out, 1, stride, random),
                    new BatchNorm2d(backend, p + ".downsample.1", out)))
            : null;
    return new ResidualBlock(backend, p, main, downsample);
  }

  /** A bias-free {@code k×k} convolution with padding {@code k/2} (0, 1 or 3). */
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
        WeightInit.heNormalFanOut(random, out, in, k));
  }
}
