package org.efqat.models.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SyntheticDatasetTest {
  @Test
  void theSameSeedGivesTheSameDataAndAnotherSeedOtherData() {
    ImageDataset a = SyntheticDataset.generate(64, 6, 5, 2, 4, new SplittableRandom(7));
    ImageDataset b = SyntheticDataset.generate(64, 6, 5, 2, 4, new SplittableRandom(7));
    ImageDataset c = SyntheticDataset.generate(64, 6, 5, 2, 4, new SplittableRandom(8));
    assertThat(a.pixels()).isEqualTo(b.pixels());
    assertThat(a.labels()).containsExactly(b.labels());
    assertThat(a.pixels()).isNotEqualTo(c.pixels());
    assertThat(a.name()).isEqualTo("synthetic");
    assertThat(a.size()).isEqualTo(64);
    assertThat(a.height()).isEqualTo(6);
    assertThat(a.width()).isEqualTo(5);
    assertThat(a.channels()).isEqualTo(2);
    assertThat(a.classes()).isEqualTo(4);
  }

  @Test
  void classesAreBalancedAndValuesInTheUnitInterval() {
    ImageDataset d = SyntheticDataset.generate(103, 4, 4, 1, 10, new SplittableRandom(1));
    assertThat(d.classCounts()).containsOnly(10, 11);
    for (float v : d.pixels()) {
      assertThat(v).isBetween(0f, 1f);
    }
  }

  /** Learnable: nearest template classifies almost every sample right. */
  @Test
  void samplesAreClosestToTheirOwnClassTemplate() {
    SplittableRandom random = new SplittableRandom(3);
    SyntheticDataset task =
        new SyntheticDataset(8, 8, 1, 5, SyntheticDataset.DEFAULT_NOISE, random);
    ImageDataset test = task.sample("t", 200, random);
    float[] x = new float[test.imageSize()];
    int correct = 0;
    for (int i = 0; i < test.size(); i++) {
      test.copyImage(i, x, 0);
      int best = -1;
      double bestDistance = Double.MAX_VALUE;
      for (int k = 0; k < 5; k++) {
        float[] t = task.template(k);
        double distance = 0;
        for (int j = 0; j < x.length; j++) {
          distance += (x[j] - t[j]) * (x[j] - t[j]);
        }
        if (distance < bestDistance) {
          bestDistance = distance;
          best = k;
        }
      }
      correct += best == test.label(i) ? 1 : 0;
    }
    assertThat(correct).isGreaterThan(190);
  }

  @Test
  void noiseZeroGivesTheTemplates() {
    SplittableRandom random = new SplittableRandom(5);
    SyntheticDataset task = new SyntheticDataset(3, 3, 1, 2, 0, random);
    ImageDataset d = task.sample("t", 4, random);
    float[] x = new float[9];
    for (int i = 0; i < 4; i++) {
      d.copyImage(i, x, 0);
      assertThat(x).containsExactly(task.template(d.label(i)));
    }
  }
}
