package org.efqat.models.init;

import java.util.SplittableRandom;

/** Seeded weight initializers; each draws its values in index order from the stream it is given. */
public final class WeightInit {
  private WeightInit() {}

  /**
   * He (Kaiming) normal for ReLU networks: {@code N(0, 2/fan_in)}.
   *
   * @param random the stream
   * @param rows output channels
   * @param fanIn inputs per output ({@code k·k·C_in})
   * @return {@code rows·fanIn} weights
   */
  public static float[] heNormal(SplittableRandom random, int rows, int fanIn) {
    float[] w = new float[rows * fanIn];
    double std = Math.sqrt(2.0 / fanIn);
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (random.nextGaussian() * std);
    }
    return w;
  }

  /**
   * He (Kaiming) normal in fan-out mode, as torchvision initializes ResNet convolutions ({@code
   * kaiming_normal_(mode="fan_out", nonlinearity="relu")}): {@code N(0, 2/fan_out)} with {@code
   * fan_out = C_out·k·k}.
   *
   * @param random the stream
   * @param outChannels {@code C_out} (the rows)
   * @param inChannels {@code C_in}
   * @param kernel the square kernel size {@code k}
   * @return {@code C_out·k·k·C_in} weights
   */
  public static float[] heNormalFanOut(
      SplittableRandom random, int outChannels, int inChannels, int kernel) {
    float[] w = new float[outChannels * kernel * kernel * inChannels];
    double std = Math.sqrt(2.0 / ((double) outChannels * kernel * kernel));
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (random.nextGaussian() * std);
    }
    return w;
  }

  /**
   * PyTorch's default for {@code nn.Linear}: {@code U(−1/sqrt(fan_in), 1/sqrt(fan_in))}.
   *
   * @param random the stream
   * @param rows outputs
   * @param fanIn inputs
   * @return {@code rows·fanIn} weights
   */
  public static float[] linearUniform(SplittableRandom random, int rows, int fanIn) {
    float[] w = new float[rows * fanIn];
    double bound = 1.0 / Math.sqrt(fanIn);
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
    }
    return w;
  }
}
