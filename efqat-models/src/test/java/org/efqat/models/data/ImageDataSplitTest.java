package org.efqat.models.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.efqat.api.spi.ComponentContext;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.train.Batches;
import org.junit.jupiter.api.Test;

/**
 * {@link ImageDataSplit}'s batches are those the command line built before datasets were components
 * ({@code ExperimentSetup.trainBatches} and {@code evaluate} of commit 21a9219).
 */
class ImageDataSplitTest {
  private static final Normalization NORM =
      Normalization.of(new double[] {0.25, 0.5}, new double[] {0.5, 2});
  private static final int BATCH = 7;

  private static ImageDataSplit data() {
    SplittableRandom r = new SplittableRandom(3);
    SyntheticDataset task = new SyntheticDataset(6, 5, 2, 4, 0.3, r);
    TrainTestSplit split =
        new TrainTestSplit(task.sample("t/train", 40, r), task.sample("t/test", 13, r));
    return new ImageDataSplit("t", split, NORM, Augmentation.cropAndFlip(2), List.of());
  }

  /** Exactly what {@code ExperimentSetup.trainBatches} did. */
  private static BatchIterator oldTrainBatches(
      ImageDataset train, SplittableRandom random, boolean augment) {
    BatchIterator.Builder b = BatchIterator.builder(train, BATCH).shuffle(random).normalize(NORM);
    if (augment) {
      b.augment(Augmentation.cropAndFlip(train.height() >= 32 ? 4 : 2), random.split());
    }
    return b.build();
  }

  @Test
  void trainBatchesAreTheOldOnesForTheSameStream() {
    ImageDataSplit data = data();
    for (boolean augment : new boolean[] {false, true}) {
      ComponentContext ctx = ComponentContext.ofSeed(9);
      Batches now = data.trainBatches(BATCH, ctx.random("data.pretrain"), augment);
      BatchIterator before =
          oldTrainBatches(data.split().train(), ctx.random("data.pretrain"), augment);
      assertThat(now.batchSize()).isEqualTo(BATCH);
      assertThat(now.samplesPerEpoch()).isEqualTo(40);
      for (int epoch = 0; epoch < 3; epoch++) {
        now.startEpoch(epoch);
        before.startEpoch();
        assertSameEpoch(now, before);
      }
    }
  }

  @Test
  void testBatchesAreTheTestSplitInOrderNormalized() {
    ImageDataSplit data = data();
    Batches now = data.testBatches(BATCH);
    BatchIterator before =
        BatchIterator.builder(data.split().test(), BATCH).normalize(NORM).build();
    now.startEpoch(0);
    before.startEpoch();
    assertSameEpoch(now, before);
  }

  private static void assertSameEpoch(Batches now, BatchIterator before) {
    float[] x1 = new float[before.imageBufferLength()];
    float[] x2 = new float[before.imageBufferLength()];
    int[] y1 = new int[BATCH];
    int[] y2 = new int[BATCH];
    int batches = 0;
    for (int n; (n = now.next(x1, y1)) > 0; batches++) {
      assertThat(before.next(x2, y2)).isEqualTo(n);
      assertThat(x1).isEqualTo(x2);
      assertThat(y1).isEqualTo(y2);
    }
    assertThat(before.hasNext()).isFalse();
    assertThat(batches).isEqualTo(before.batchesPerEpoch());
    assertThat(now.next(x1, y1)).isZero();
  }

  @Test
  void skipDrawsLikeNextWithoutCopying() {
    ImageDataSplit data = data();
    ImageBatches skipping = data.trainBatches(BATCH, new SplittableRandom(5), true);
    ImageBatches reading = data.trainBatches(BATCH, new SplittableRandom(5), true);
    float[] x1 = new float[BATCH * 60];
    float[] x2 = new float[BATCH * 60];
    int[] y1 = new int[BATCH];
    int[] y2 = new int[BATCH];
    for (int epoch = 0; epoch < 2; epoch++) {
      skipping.startEpoch(epoch);
      reading.startEpoch(epoch);
      assertThat(skipping.skip(null, null)).isEqualTo(BATCH);
      assertThat(skipping.skip(null, null)).isEqualTo(BATCH);
      reading.next(x2, y2);
      reading.next(x2, y2);
      int n;
      while ((n = reading.next(x2, y2)) > 0) {
        assertThat(skipping.next(x1, y1)).isEqualTo(n);
        assertThat(x1).isEqualTo(x2);
        assertThat(y1).isEqualTo(y2);
      }
      assertThat(skipping.skip(null, null)).isZero();
    }
  }

  @Test
  void withoutAStreamTheTrainingSplitIsWalkedInOrder() {
    ImageDataSplit data = data();
    Batches batches = data.trainBatches(40, null, false);
    batches.startEpoch(0);
    int[] labels = new int[40];
    assertThat(batches.next(new float[40 * 60], labels)).isEqualTo(40);
    assertThat(labels).containsExactly(data.split().train().labels());
    assertThatThrownBy(() -> data.trainBatches(4, null, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("t: augmentation needs a random stream, but none was given");
  }

  @Test
  void describesItsShapeAndCuts() {
    ImageDataSplit data = data();
    assertThat(data.sampleShape()).isEqualTo(new FeatureShape(1, 6, 5, 2));
    assertThat(data.classes()).isEqualTo(4);
    ImageDataSplit cut = data.head(10, 3);
    assertThat(cut.trainSize()).isEqualTo(10);
    assertThat(cut.testSize()).isEqualTo(3);
    assertThat(data.head(null, null).trainSize()).isEqualTo(40);
    assertThat(cut.name()).isEqualTo("t");
    assertThatThrownBy(
            () ->
                new ImageDataSplit(
                    "t",
                    data.split(),
                    Normalization.of(new double[] {0, 0, 0}, new double[] {1, 1, 1}),
                    Augmentation.NONE,
                    List.of()))
        .hasMessageContaining("does not fit 2 channels");
  }
}
