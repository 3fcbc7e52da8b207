package org.efqat.core.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.efqat.api.backend.Backend;
import org.efqat.core.nn.Activation;
import org.efqat.core.nn.Conv2d;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.GlobalAvgPool;
import org.efqat.core.nn.Linear;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.ReLU;
import org.efqat.core.nn.ResidualBlock;
import org.efqat.core.nn.Sequential;
import org.efqat.core.nn.TestBackends;
import org.efqat.core.profile.LayerProfiler.Phase;
import org.junit.jupiter.api.Test;

/**
 * A network with a profiler reports every leaf layer's forward and backward pass once per step, the
 * weight layers' dX and dW parts too, and never a composite (Sequential, residual block).
 */
class LayerProfilerTest {
  private record Entry(String layer, Phase phase) {}

  /** conv → ReLU → residual block (conv, ReLU, conv; identity shortcut) → pool → fc. */
  private static Network tinyResNet(Backend b) {
    SplittableRandom r = new SplittableRandom(3);
    Sequential main =
        new Sequential(
            "block.main",
            List.of(
                new Conv2d(b, "block.c1", 4, 4, 3, 1, 1, false, weights(r, 4 * 36)),
                new ReLU(b, "block.r1"),
                new Conv2d(b, "block.c2", 4, 4, 3, 1, 1, false, weights(r, 4 * 36))));
    Sequential body =
        new Sequential(
            "net",
            List.of(
                new Conv2d(b, "stem", 1, 4, 3, 1, 1, false, weights(r, 4 * 9)),
                new ReLU(b, "stem.relu"),
                new ResidualBlock(b, "block", main, null),
                new GlobalAvgPool(b, "pool"),
                new Linear(b, "fc", 4, 3, weights(r, 12))));
    return new Network("tiny-resnet", b, body, new FeatureShape(1, 6, 6, 1), 3);
  }

  private static float[] weights(SplittableRandom r, int n) {
    float[] w = new float[n];
    for (int i = 0; i < n; i++) {
      w[i] = (float) (0.3 * r.nextGaussian());
    }
    return w;
  }

  @Test
  void reportsEveryLeafLayerOncePerPassAndNoComposite() {
    try (Backend backend = TestBackends.nd4j()) {
      Network net = tinyResNet(backend);
      List<Entry> entries = new ArrayList<>();
      net.setProfiler(
          (layer, phase, nanos) -> {
            assertThat(nanos).isNotNegative();
            entries.add(new Entry(layer, phase));
          });
      FeatureShape in = net.inputShape();
      int n = 2;
      float[] images = new float[n * in.h() * in.w() * in.c()];
      SplittableRandom random = new SplittableRandom(1);
      for (int i = 0; i < images.length; i++) {
        images[i] = (float) random.nextDouble();
      }
      Activation logits = net.forward(images, n, true);
      float[] grad = new float[n * net.classes()];
      grad[0] = 1f;
      net.backward(new Activation(backend.ops().fromArray(grad, n, net.classes()), logits.shape()));

      Set<String> forward = new HashSet<>();
      entries.stream()
          .filter(e -> e.phase() == Phase.FORWARD)
          .forEach(
              e ->
                  assertThat(forward.add(e.layer()))
                      .as("one forward record for %s", e.layer())
                      .isTrue());
      Set<String> backward = new HashSet<>();
      entries.stream()
          .filter(e -> e.phase() == Phase.BACKWARD)
          .forEach(e -> backward.add(e.layer()));
      assertThat(backward).isEqualTo(forward);
      net.weightLayers()
          .forEach(
              w -> {
                assertThat(forward).contains(w.name());
                assertThat(entries)
                    .contains(
                        new Entry(w.name(), Phase.WEIGHT_GRADIENT),
                        new Entry(w.name(), Phase.INPUT_GRADIENT));
              });
      assertThat(forward).noneMatch(name -> name.equals(net.body().name()));
      assertThat(forward).anyMatch(name -> name.endsWith("relu2")); // a residual block's ReLU
      net.setProfiler(null);
      entries.clear();
      net.forward(images, n, true);
      assertThat(entries).isEmpty();
      net.release();
    }
  }
}
