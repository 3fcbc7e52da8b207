package org.efqat.models.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.efqat.api.spi.ComponentContext;
import org.efqat.api.spi.ConfigValueException;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.train.Batches;
import org.efqat.models.text.TextDataSplit;
import org.junit.jupiter.api.Test;

/** {@code random-tokens}. */
class RandomTokensTest {
  private static TextDataSplit load(RandomTokensConfig config, long seed) throws Exception {
    return (TextDataSplit)
        new RandomTokensProvider().create(config, ComponentContext.ofSeed(seed)).load();
  }

  @Test
  void sequencesAreClsRandomIdsSepWithTheShapeAsked() throws Exception {
    TextDataSplit d = load(new RandomTokensConfig(16, 5000, 3, 7, null), 1);
    assertThat(d.name()).isEqualTo("random-tokens");
    assertThat(d.sampleShape()).isEqualTo(new FeatureShape(1, 1, 16, 1));
    assertThat(d.maxLength()).isEqualTo(16);
    assertThat(d.classes()).isEqualTo(3);
    assertThat(d.trainSize()).isEqualTo(7);
    assertThat(d.testSize()).isEqualTo(7);
    assertThat(d.testIds()).isEqualTo(d.trainIds());
    assertThat(d.testLabels()).isEqualTo(d.trainLabels());
    assertThat(d.inputFiles()).isEmpty();
    float[] ids = d.trainIds();
    assertThat(ids).hasSize(7 * 16);
    for (int s = 0; s < 7; s++) {
      assertThat(ids[s * 16]).isEqualTo(101f);
      assertThat(ids[s * 16 + 15]).isEqualTo(102f);
      for (int i = 1; i < 15; i++) {
        float id = ids[s * 16 + i];
        assertThat(id).isBetween(1000f, 4999f).isEqualTo((float) Math.rint(id));
      }
    }
    for (int label : d.trainLabels()) {
      assertThat(label).isBetween(0, 2);
    }
    Batches b = d.trainBatches(4, new java.util.SplittableRandom(0), false);
    b.startEpoch(0);
    float[] x = new float[4 * 16];
    int[] y = new int[4];
    assertThat(b.next(x, y)).isEqualTo(4);
  }

  @Test
  void theTailIsPaddingRoundedHalfToEvenAsPython() throws Exception {
    // 10 * 0.25 = 2.5 -> 2 (Python's round), 16 * 0.25 = 4
    assertThat(new RandomTokensConfig(10, null, null, null, 0.25).padTokens()).isEqualTo(2);
    assertThat(new RandomTokensConfig(14, null, null, null, 0.25).padTokens()).isEqualTo(4);
    TextDataSplit d = load(new RandomTokensConfig(16, null, null, 5, 0.25), 3);
    float[] ids = d.trainIds();
    for (int s = 0; s < 5; s++) {
      int o = s * 16;
      assertThat(ids[o]).isEqualTo(101f);
      assertThat(ids[o + 11]).isEqualTo(102f); // the last of 12 real ids
      for (int i = 1; i < 11; i++) {
        assertThat(ids[o + i]).isBetween(1000f, 30521f);
      }
      for (int i = 12; i < 16; i++) {
        assertThat(ids[o + i]).isZero();
      }
    }
    // the shortest sequence: [CLS] [SEP] and padding
    float[] two = load(new RandomTokensConfig(4, null, null, 1, 0.5), 0).trainIds();
    assertThat(two).containsExactly(101f, 102f, 0f, 0f);
  }

  @Test
  void theSeedDecidesTheData() throws Exception {
    RandomTokensConfig c = new RandomTokensConfig(32, null, 4, 8, null);
    TextDataSplit a = load(c, 1);
    assertThat(load(c, 1).trainIds()).isEqualTo(a.trainIds());
    assertThat(load(c, 1).trainLabels()).isEqualTo(a.trainLabels());
    assertThat(load(c, 2).trainIds()).isNotEqualTo(a.trainIds());
  }

  @Test
  void defaults() throws Exception {
    RandomTokensConfig d = new RandomTokensConfig(null, null, null, null, null);
    assertThat(d).isEqualTo(new RandomTokensConfig(128, 30522, 2, 32, 0.0));
    assertThat(d.padTokens()).isZero();
    TextDataSplit s = load(d, 0);
    assertThat(s.sampleShape()).isEqualTo(new FeatureShape(1, 1, 128, 1));
    assertThat(s.trainSize()).isEqualTo(32);
    assertThat(s.classes()).isEqualTo(2);
  }

  @Test
  void badOptionsNameTheKeyAndTheValue() {
    assertBad(() -> new RandomTokensConfig(1, null, null, null, null), "length", "(was 1)");
    assertBad(() -> new RandomTokensConfig(70000, null, null, null, null), "length", "65536");
    assertBad(() -> new RandomTokensConfig(null, 1000, null, null, null), "vocabulary", "1001");
    assertBad(() -> new RandomTokensConfig(null, null, 0, null, null), "classes", "(was 0)");
    assertBad(() -> new RandomTokensConfig(null, null, null, 0, null), "samples", "(was 0)");
    assertBad(
        () -> new RandomTokensConfig(65536, null, null, 40000, null), "samples", "times length");
    assertBad(() -> new RandomTokensConfig(null, null, null, null, 1.0), "padFraction", "[0, 1)");
    assertBad(() -> new RandomTokensConfig(null, null, null, null, -0.1), "padFraction", "-0.1");
    assertBad(
        () -> new RandomTokensConfig(null, null, null, null, Double.NaN), "padFraction", "NaN");
    // 16 - round(15.2) = 1 id left: no room for [CLS] and [SEP]
    assertBad(
        () -> new RandomTokensConfig(16, null, null, null, 0.95), "padFraction", "leaves 1 of 16");
  }

  private static void assertBad(Runnable config, String key, String text) {
    assertThatThrownBy(config::run)
        .asInstanceOf(InstanceOfAssertFactories.type(ConfigValueException.class))
        .satisfies(e -> assertThat(e.key()).isEqualTo(key))
        .satisfies(e -> assertThat(e.getMessage()).contains(text));
  }
}
