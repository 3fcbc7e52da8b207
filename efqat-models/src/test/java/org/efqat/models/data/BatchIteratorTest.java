package org.efqat.models.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BatchIteratorTest {
  /** {@code n} images of 2x3x1 whose values are {@code index + position / 10}, label index % 7. */
  private static ImageDataset indexed(int n) {
    float[] p = new float[n * 6];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 6; j++) {
        p[i * 6 + j] = i + j / 10f;
      }
      labels[i] = i % 7;
    }
    return ImageDataset.of("indexed", 2, 3, 1, 7, p, labels);
  }

  /** Runs one epoch and returns the sample indices in the order delivered, checking the batch. */
  private static List<Integer> epoch(BatchIterator it, List<Integer> sizes) {
    ImageDataset d = it.dataset();
    float[] x = new float[it.imageBufferLength()];
    int[] y = new int[it.batchSize()];
    int[] idx = new int[it.batchSize()];
    List<Integer> order = new ArrayList<>();
    it.startEpoch();
    for (int n; (n = it.next(x, y, idx)) > 0; ) {
      sizes.add(n);
      for (int k = 0; k < n; k++) {
        order.add(idx[k]);
        assertThat(y[k]).isEqualTo(d.label(idx[k]));
        assertThat(x[k * d.imageSize()]).isEqualTo((float) idx[k]); // the right image was copied
      }
    }
    assertThat(it.hasNext()).isFalse();
    assertThat(it.next(x, y)).isZero();
    return order;
  }

  private static List<Integer> epoch(BatchIterator it) {
    return epoch(it, new ArrayList<>());
  }

  @Test
  void anEpochCoversEverySampleOnceWithAPartialLastBatch() {
    BatchIterator it =
        BatchIterator.builder(indexed(23), 5).shuffle(new SplittableRandom(1)).build();
    assertThat(it.batchesPerEpoch()).isEqualTo(5);
    assertThat(it.epoch()).isEqualTo(-1);
    List<Integer> sizes = new ArrayList<>();
    List<Integer> order = epoch(it, sizes);
    assertThat(it.epoch()).isZero();
    assertThat(sizes).containsExactly(5, 5, 5, 5, 3);
    assertThat(order).containsExactlyInAnyOrderElementsOf(range(23));
    assertThat(order).isNotEqualTo(range(23));
    List<Integer> again = epoch(it);
    assertThat(again).containsExactlyInAnyOrderElementsOf(range(23));
    assertThat(it.epoch()).isEqualTo(1);
  }

  @Test
  void withoutShuffleTheOrderIsTheDatasets() {
    BatchIterator it = BatchIterator.builder(indexed(10), 4).build();
    List<Integer> sizes = new ArrayList<>();
    assertThat(epoch(it, sizes)).isEqualTo(range(10));
    assertThat(sizes).containsExactly(4, 4, 2);
    assertThat(epoch(it)).isEqualTo(range(10));
  }

  @Test
  void theSameSeedGivesTheSameOrdersAndEpochsDiffer() {
    ImageDataset d = indexed(50);
    BatchIterator a = BatchIterator.builder(d, 8).shuffle(new SplittableRandom(42)).build();
    BatchIterator b = BatchIterator.builder(d, 8).shuffle(new SplittableRandom(42)).build();
    BatchIterator c = BatchIterator.builder(d, 8).shuffle(new SplittableRandom(43)).build();
    Set<List<Integer>> seen = new HashSet<>();
    for (int e = 0; e < 4; e++) {
      List<Integer> oa = epoch(a);
      assertThat(epoch(b)).isEqualTo(oa);
      assertThat(epoch(c)).isNotEqualTo(oa);
      seen.add(oa);
    }
    assertThat(seen).hasSize(4); // every epoch has its own order
  }

  @Test
  void augmentationDoesNotChangeTheShuffleOrder() {
    ImageDataset d = indexed(30);
    BatchIterator plain = BatchIterator.builder(d, 7).shuffle(new SplittableRandom(9)).build();
    SplittableRandom shared = new SplittableRandom(9);
    BatchIterator augmented =
        BatchIterator.builder(d, 7)
            .shuffle(shared)
            .augment(Augmentation.cropAndFlip(1), new SplittableRandom(5))
            .build();
    for (int e = 0; e < 2; e++) {
      assertThat(orderOnly(augmented)).isEqualTo(epoch(plain));
    }
  }

  private static List<Integer> orderOnly(BatchIterator it) {
    float[] x = new float[it.imageBufferLength()];
    int[] y = new int[it.batchSize()];
    int[] idx = new int[it.batchSize()];
    List<Integer> order = new ArrayList<>();
    it.startEpoch();
    for (int n; (n = it.next(x, y, idx)) > 0; ) {
      for (int k = 0; k < n; k++) {
        order.add(idx[k]);
      }
    }
    return order;
  }

  /** Collects every batch's images of {@code epochs} epochs. */
  private static float[] allImages(BatchIterator it, int epochs) {
    float[] x = new float[it.imageBufferLength()];
    int[] y = new int[it.batchSize()];
    float[] out = new float[0];
    for (int e = 0; e < epochs; e++) {
      it.startEpoch();
      for (int n; (n = it.next(x, y)) > 0; ) {
        int old = out.length;
        out = Arrays.copyOf(out, old + n * it.dataset().imageSize());
        System.arraycopy(x, 0, out, old, n * it.dataset().imageSize());
      }
    }
    return out;
  }

  @Test
  void augmentationIsDeterministicBySeed() {
    ImageDataset d = SyntheticDataset.generate(40, 6, 6, 2, 3, new SplittableRandom(0));
    float[] a = allImages(augmented(d, 11), 2);
    float[] b = allImages(augmented(d, 11), 2);
    float[] c = allImages(augmented(d, 12), 2);
    assertThat(a).isEqualTo(b);
    assertThat(a).isNotEqualTo(c);
  }

  private static BatchIterator augmented(ImageDataset d, long augmentSeed) {
    return BatchIterator.builder(d, 16)
        .shuffle(new SplittableRandom(1))
        .augment(Augmentation.cropAndFlip(2), new SplittableRandom(augmentSeed))
        .build();
  }

  @Test
  void everyAugmentedImageIsAPaddedCropOrFlipOfItsSource() {
    ImageDataset d = SyntheticDataset.generate(60, 5, 4, 1, 2, new SplittableRandom(2));
    int pad = 2;
    BatchIterator it =
        BatchIterator.builder(d, 16)
            .shuffle(new SplittableRandom(3))
            .augment(Augmentation.cropAndFlip(pad), new SplittableRandom(4))
            .build();
    float[] x = new float[it.imageBufferLength()];
    int[] y = new int[16];
    int[] idx = new int[16];
    int size = d.imageSize();
    float[] src = new float[size];
    float[] candidate = new float[size];
    Set<String> used = new HashSet<>();
    it.startEpoch();
    for (int n; (n = it.next(x, y, idx)) > 0; ) {
      for (int k = 0; k < n; k++) {
        d.copyImage(idx[k], src, 0);
        float[] got = Arrays.copyOfRange(x, k * size, (k + 1) * size);
        String match = null;
        for (int dy = -pad; dy <= pad && match == null; dy++) {
          for (int dx = -pad; dx <= pad && match == null; dx++) {
            for (boolean flip : new boolean[] {false, true}) {
              Augmentation.transform(src, 0, 5, 4, 1, dy, dx, flip, candidate, 0);
              if (Arrays.equals(candidate, got)) {
                match = dy + "," + dx + "," + flip;
                break;
              }
            }
          }
        }
        assertThat(match).as("sample %d", idx[k]).isNotNull();
        used.add(match);
      }
    }
    // 60 draws from 50 combinations: flips and shifts both vary
    assertThat(used.stream().filter(s -> s.endsWith("true"))).isNotEmpty();
    assertThat(used.stream().filter(s -> s.endsWith("false"))).isNotEmpty();
    assertThat(used.size()).isGreaterThan(20);
  }

  @Test
  void normalizationIsAppliedAfterAugmentation() {
    ImageDataset d = indexed(9);
    Normalization norm = Normalization.of(new double[] {2.0}, new double[] {4.0});
    BatchIterator it = BatchIterator.builder(d, 4).normalize(norm).build();
    float[] x = new float[it.imageBufferLength()];
    int[] y = new int[4];
    it.startEpoch();
    assertThat(it.next(x, y)).isEqualTo(4);
    float[] expected = new float[24];
    for (int k = 0; k < 4; k++) {
      d.copyImage(k, expected, k * 6);
    }
    for (int j = 0; j < expected.length; j++) {
      expected[j] = (expected[j] - 2f) / 4f;
    }
    assertThat(x).containsExactly(expected);

    // with a crop that shifts everything out, padding (raw 0) is normalized too: (0 - 2) / 4
    BatchIterator shifted =
        BatchIterator.builder(ImageDataset.of("one", 1, 1, 1, 1, new float[] {1}, new int[] {0}), 1)
            .augment(new Augmentation(1, false), new SplittableRandom(0))
            .normalize(norm)
            .build();
    float[] one = new float[1];
    Set<Float> values = new HashSet<>();
    for (int e = 0; e < 60; e++) {
      shifted.startEpoch();
      shifted.next(one, new int[1]);
      values.add(one[0]);
    }
    assertThat(values).containsExactlyInAnyOrder(-0.5f, -0.25f);
  }

  @Test
  void leavesTheDatasetUnchanged() {
    ImageDataset d = indexed(12);
    float[] before = d.pixels();
    BatchIterator it =
        BatchIterator.builder(d, 5)
            .shuffle(new SplittableRandom(1))
            .augment(Augmentation.cropAndFlip(1), new SplittableRandom(1))
            .normalize(Normalization.of(new double[] {0.5}, new double[] {0.1}))
            .build();
    allImages(it, 2);
    assertThat(d.pixels()).containsExactly(before);
  }

  @Test
  void misuseIsReported() {
    BatchIterator it = BatchIterator.builder(indexed(5), 4).build();
    assertThatThrownBy(() -> it.next(new float[24], new int[4]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("call startEpoch() before the first batch");
    it.startEpoch();
    assertThatThrownBy(() -> it.next(new float[23], new int[4]))
        .hasMessage("image buffer holds 23 floats, a batch needs 24 (4 x 6)");
    assertThatThrownBy(() -> it.next(new float[24], new int[3]))
        .hasMessage("label buffer holds 3 ints, a batch needs 4");
    assertThatThrownBy(() -> BatchIterator.builder(indexed(5), 0))
        .hasMessage("batchSize must be >= 1, got 0");
    assertThatThrownBy(
            () ->
                BatchIterator.builder(indexed(5), 2)
                    .normalize(
                        Normalization.of(new double[] {0.5, 0.5, 0.5}, new double[] {1, 1, 1})))
        .hasMessageContaining("has 3 channels but indexed has 1");
  }

  private static List<Integer> range(int n) {
    List<Integer> r = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      r.add(i);
    }
    return r;
  }
}
