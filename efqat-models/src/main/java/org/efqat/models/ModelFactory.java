package org.efqat.models;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.efqat.api.backend.Backend;
import org.efqat.core.nn.BatchNorm2d;
import org.efqat.core.nn.Conv2d;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.Flatten;
import org.efqat.core.nn.GlobalAvgPool;
import org.efqat.core.nn.Layer;
import org.efqat.core.nn.Linear;
import org.efqat.core.nn.MaxPool2d;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.ReLU;
import org.efqat.core.nn.Sequential;
import org.efqat.models.resnet.ResNet20;
import org.efqat.models.resnet.ResNet50;

/** Builds the architectures an experiment names ({@code model.architecture}). */
public final class ModelFactory {
  private ModelFactory() {}

  /**
   * @param architecture {@code mlp}, {@code cnn}, {@code resnet20} or {@code resnet50}
   * @param backend where it computes
   * @param input one sample's shape {@code [1, h, w, c]}
   * @param classes the class count
   * @param width hidden units (MLP), first-stage channels (CNN, ResNet-20) or stem channels
   *     (ResNet-50, 64 in the standard model)
   * @param random the initialization stream
   * @return the network
   */
  public static Network build(String architecture, Backend backend, FeatureShape input,
      int classes, int width, SplittableRandom random) {
    return switch (architecture) {
      case "mlp" -> mlp(backend, input, classes, width, random);
      case "cnn" -> cnn(backend, input, classes, width, random);
      case "resnet20" -> ResNet20.build(backend, input, classes, width, random);
      case "resnet50" -> ResNet50.build(backend, input, classes, width, random);
      default -> throw new IllegalArgumentException("unknown architecture '" + architecture
          + "'; known: mlp, cnn, resnet20, resnet50");
    };
  }

  /**
   * Flatten → fc1 (width) → ReLU → fc2 (width) → ReLU → fc3 (classes).
   */
  static Network mlp(Backend backend, FeatureShape input, int classes, int width,
      SplittableRandom random) {
    int in = input.h() * input.w() * input.c();
    List<Layer> layers = List.of(
        new Flatten("flatten"),
        new Linear(backend, "fc1", in, width, WeightInit.heNormal(random, width, in)),
        new ReLU(backend, "relu1"),
        new Linear(backend, "fc2", width, width, WeightInit.heNormal(random, width, width)),
        new ReLU(backend, "relu2"),
        new Linear(backend, "fc3", width, classes, WeightInit.linearUniform(random, classes, width)));
    return new Network("mlp", backend, new Sequential("mlp", layers), input, classes);
  }

  /**
   * A small VGG-style CNN: three stages of conv3×3-BN-ReLU with {@code w, 2w, 4w} channels, the
   * first two followed by 2×2 max pooling, then global average pooling and a linear classifier.
   */
  static Network cnn(Backend backend, FeatureShape input, int classes, int width,
      SplittableRandom random) {
    List<Layer> layers = new ArrayList<>();
    int in = input.c();
    for (int stage = 0; stage < 3; stage++) {
      int out = width << stage;
      String p = "features." + stage;
      layers.add(new Conv2d(backend, p + ".conv", in, out, 3, 1, 1, false,
          WeightInit.heNormal(random, out, 9 * in)));
      layers.add(new BatchNorm2d(backend, p + ".bn", out));
      layers.add(new ReLU(backend, p + ".relu"));
      if (stage < 2) {
        layers.add(new MaxPool2d(backend, p + ".pool", 2, 2, 0));
      }
      in = out;
    }
    layers.add(new GlobalAvgPool(backend, "pool"));
    layers.add(new Linear(backend, "fc", in, classes, WeightInit.linearUniform(random, classes, in)));
    return new Network("cnn", backend, new Sequential("cnn", layers), input, classes);
  }
}
