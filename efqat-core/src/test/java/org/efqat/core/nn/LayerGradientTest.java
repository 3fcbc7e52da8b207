package org.efqat.core.nn;

import java.util.List;
import java.util.SplittableRandom;
import org.efqat.api.backend.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every layer's backward pass against central finite differences (see {@link GradientCheck}), on
 * every backend ({@link TestBackends#byName}).
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"nd4j", "nd4j-device-ops", "tf", "tf-device-kernels"})
class LayerGradientTest {
  private static Backend backend;

  /** The backend this invocation of the class runs on. */
  @Parameter String backendName;

  @BeforeParameterizedClassInvocation
  static void open(String name) {
    backend = TestBackends.byName(name);
  }

  @AfterParameterizedClassInvocation
  static void close() {
    backend.close();
  }

  private static float[] weights(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] w = new float[n];
    for (int i = 0; i < n; i++) {
      w[i] = (float) (r.nextDouble() - 0.5);
    }
    return w;
  }

  private static Conv2d conv(String name, int in, int out, int k, int stride, boolean bias) {
    Conv2d c =
        new Conv2d(
            backend,
            name,
            in,
            out,
            k,
            stride,
            k / 2,
            bias,
            weights(out * k * k * in, name.hashCode()));
    if (bias) {
      System.arraycopy(weights(out, 7), 0, c.bias().value(), 0, out);
    }
    return c;
  }

  @Test
  void conv3x3Stride1() {
    new GradientCheck(backend, conv("c", 3, 4, 3, 1, true), new FeatureShape(2, 5, 5, 3), 1)
        .run(25);
  }

  @Test
  void conv3x3Stride2OddSize() {
    new GradientCheck(backend, conv("c", 2, 3, 3, 2, false), new FeatureShape(2, 7, 6, 2), 2)
        .run(25);
  }

  @Test
  void conv1x1Stride2AndPointwise() {
    new GradientCheck(backend, conv("s", 3, 5, 1, 2, false), new FeatureShape(2, 6, 6, 3), 3)
        .run(20);
    new GradientCheck(backend, conv("p", 3, 5, 1, 1, true), new FeatureShape(2, 3, 3, 3), 4)
        .run(20);
  }

  @Test
  void linear() {
    Linear fc = new Linear(backend, "fc", 6, 4, weights(24, 5));
    new GradientCheck(backend, fc, new FeatureShape(3, 1, 1, 6), 5).run(20);
  }

  @Test
  void batchNormInTrainingMode() {
    BatchNorm2d bn = new BatchNorm2d(backend, "bn", 3);
    System.arraycopy(new float[] {0.5f, 1.5f, -1f}, 0, bn.gamma().value(), 0, 3);
    System.arraycopy(new float[] {0.1f, -0.2f, 0.3f}, 0, bn.beta().value(), 0, 3);
    new GradientCheck(backend, bn, new FeatureShape(4, 3, 3, 3), 6).run(30);
  }

  @Test
  void reluPoolingAndFlatten() {
    new GradientCheck(backend, new ReLU(backend, "r"), new FeatureShape(2, 3, 3, 2), 7).run(20);
    new GradientCheck(
            backend, new MaxPool2d(backend, "m", 2, 2, 0), new FeatureShape(2, 4, 4, 3), 8)
        .run(20);
    new GradientCheck(
            backend, new MaxPool2d(backend, "m3", 3, 2, 1), new FeatureShape(1, 5, 5, 2), 9)
        .run(20);
    new GradientCheck(
            backend, new AvgPool2d(backend, "a", 2, 2, 0), new FeatureShape(2, 4, 4, 3), 14)
        .run(20);
    new GradientCheck(
            backend, new AvgPool2d(backend, "a3", 3, 2, 1), new FeatureShape(1, 5, 6, 2), 15)
        .run(20);
    new GradientCheck(backend, new GlobalAvgPool(backend, "g"), new FeatureShape(2, 3, 4, 5), 10)
        .run(20);
    new GradientCheck(backend, new Flatten("f"), new FeatureShape(2, 2, 2, 3), 11).run(10);
  }

  /**
   * BatchNorm shifts of +4 keep every ReLU of the block active, so the finite differences see a
   * smooth function and the check tests the wiring of the block (each layer's kinks are covered by
   * the single-layer checks above).
   */
  private static BatchNorm2d shiftedBn(String name, int channels) {
    BatchNorm2d bn = new BatchNorm2d(backend, name, channels);
    java.util.Arrays.fill(bn.beta().value(), 4f);
    return bn;
  }

  @Test
  void residualBlocksWithIdentityAndProjectionShortcuts() {
    Sequential main =
        new Sequential(
            "b",
            List.of(
                conv("b.c1", 3, 3, 3, 1, false),
                shiftedBn("b.b1", 3),
                new ReLU(backend, "b.r1"),
                conv("b.c2", 3, 3, 3, 1, false),
                shiftedBn("b.b2", 3)));
    new GradientCheck(
            backend, new ResidualBlock(backend, "b", main, null), new FeatureShape(2, 4, 4, 3), 12)
        .composite()
        .run(20);
    Sequential main2 =
        new Sequential(
            "d",
            List.of(
                conv("d.c1", 2, 4, 3, 2, false),
                shiftedBn("d.b1", 4),
                new ReLU(backend, "d.r1"),
                conv("d.c2", 4, 4, 3, 1, false),
                shiftedBn("d.b2", 4)));
    Sequential shortcut =
        new Sequential(
            "d.short", List.of(conv("d.short.0", 2, 4, 1, 2, false), shiftedBn("d.short.1", 4)));
    new GradientCheck(
            backend,
            new ResidualBlock(backend, "d", main2, shortcut),
            new FeatureShape(2, 5, 5, 2),
            13)
        .composite()
        .run(20);
  }
}
