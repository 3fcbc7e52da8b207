package org.efqat.models.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import org.junit.jupiter.api.Test;

class NormalizationTest {
  @Test
  void publishedConstants() {
    assertThat(Normalization.FASHION_MNIST.mean(0)).isEqualTo(0.2860f);
    assertThat(Normalization.FASHION_MNIST.std(0)).isEqualTo(0.3530f);
    assertThat(Normalization.MNIST.mean(0)).isEqualTo(0.1307f);
    assertThat(Normalization.MNIST.std(0)).isEqualTo(0.3081f);
    assertThat(Normalization.CIFAR10.channels()).isEqualTo(3);
    assertThat(Normalization.CIFAR10.mean(2)).isEqualTo(0.4465f);
    assertThat(Normalization.CIFAR10.std(1)).isEqualTo(0.2435f);
    assertThat(Normalization.forDataset("fashion-mnist-sample"))
        .isSameAs(Normalization.FASHION_MNIST);
    assertThat(Normalization.forDataset("cifar10")).isSameAs(Normalization.CIFAR10);
    assertThat(Normalization.forDataset("synthetic").isIdentity()).isTrue();
    assertThatThrownBy(() -> Normalization.forDataset("imagenet"))
        .hasMessage(
            "no normalization known for dataset 'imagenet'; known: fashion-mnist-sample,"
                + " fashion-mnist, mnist, cifar10, synthetic");
    assertThat(Normalization.FASHION_MNIST).hasToString("Normalization[mean=0.2860; std=0.3530]");
  }

  @Test
  void appliesPerChannel() {
    Normalization n = Normalization.of(new double[] {0.5, 0.25}, new double[] {0.5, 2});
    float[] v = {9, 1, 0, 0.5f, 0.25f, 1};
    n.apply(v, 2, 4);
    assertThat(v).containsExactly(9, 1, -1, 0.125f, -0.5f, 0.375f);
    assertThatThrownBy(() -> n.apply(v, 0, 3))
        .hasMessage("3 values are not whole pixels of 2 channels");
  }

  @Test
  void fromDataMeasuresMeanAndStd() {
    ImageDataset d =
        ImageDataset.of(
            "d", 1, 2, 2, 2, new float[] {0, 1, 1, 1, 0.5f, 1, 0.5f, 1}, new int[] {0, 1});
    Normalization n = Normalization.fromData(d);
    assertThat(n.mean(0)).isEqualTo(0.5f);
    assertThat(n.std(0)).isCloseTo((float) Math.sqrt(0.125), offset(1e-7f));
    assertThat(n.mean(1)).isEqualTo(1f);
    assertThat(n.std(1)).isEqualTo(1f); // constant channel
  }

  @Test
  void rejectsBadParameters() {
    assertThatThrownBy(() -> Normalization.of(new double[] {0}, new double[] {0}))
        .hasMessage("channel 0: mean must be finite and std finite and > 0, got mean 0.0, std 0.0");
    assertThatThrownBy(() -> Normalization.of(new double[] {0, 1}, new double[] {1}))
        .hasMessage("mean and std need the same, non-zero number of channels, got 2 and 1");
  }
}
