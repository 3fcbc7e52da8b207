package org.efqat.experiments.run;

import org.efqat.core.train.Batches;
import org.efqat.models.data.BatchIterator;

/** Adapts a {@link BatchIterator} of efqat-models to the trainer's {@link Batches}. */
final class DatasetBatches implements Batches {
  private final BatchIterator iterator;

  DatasetBatches(BatchIterator iterator) {
    this.iterator = iterator;
  }

  @Override
  public int batchSize() {
    return iterator.batchSize();
  }

  @Override
  public int samplesPerEpoch() {
    return iterator.dataset().size();
  }

  @Override
  public void startEpoch(int epoch) {
    iterator.startEpoch();
  }

  @Override
  public int next(float[] images, int[] labels) {
    return iterator.hasNext() ? iterator.next(images, labels) : 0;
  }
}
