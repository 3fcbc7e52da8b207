package org.efqat.models.datasets;

import java.util.List;
import java.util.SplittableRandom;
import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;
import org.efqat.api.spi.NoOptions;
import org.efqat.core.data.Dataset;
import org.efqat.core.data.DatasetProvider;
import org.efqat.models.data.Augmentation;
import org.efqat.models.data.ImageDataSplit;
import org.efqat.models.data.Normalization;
import org.efqat.models.data.SyntheticDataset;
import org.efqat.models.data.TrainTestSplit;

/**
 * Registers the generated toy task ({@link SyntheticDataset}) as {@code synthetic}: {@value
 * #SIDE}x{@value #SIDE}x1 images, {@value #CLASSES} classes, {@link
 * SyntheticDataset#DEFAULT_NOISE}, {@value #TRAIN} training and {@value #TEST} test samples. The
 * templates, then the training set, then the test set are drawn from the component's stream {@code
 * context.random("data.<name>")}. Its values already spread over {@code [0, 1]}, so it is not
 * normalized.
 */
public final class SyntheticDatasetProvider extends AbstractComponentProvider<Dataset, NoOptions>
    implements DatasetProvider<NoOptions> {
  /** Training samples. */
  public static final int TRAIN = 4096;

  /** Test samples. */
  public static final int TEST = 1024;

  /** Image rows and columns. */
  public static final int SIDE = 28;

  /** Classes. */
  public static final int CLASSES = 10;

  /** Called by {@link java.util.ServiceLoader}. */
  public SyntheticDatasetProvider() {
    super(
        "synthetic",
        NoOptions.class,
        "generated toy task from the seed: class templates plus noise, 28x28x1, 10 classes");
  }

  @Override
  public Dataset create(NoOptions config, ComponentContext context) {
    return () -> {
      SplittableRandom random = context.random("data." + name());
      SyntheticDataset task =
          new SyntheticDataset(SIDE, SIDE, 1, CLASSES, SyntheticDataset.DEFAULT_NOISE, random);
      TrainTestSplit split =
          new TrainTestSplit(
              task.sample(name() + "/train", TRAIN, random),
              task.sample(name() + "/test", TEST, random));
      return new ImageDataSplit(
          name(), split, Normalization.NONE, Augmentation.cropAndFlipFor(SIDE), List.of());
    };
  }
}
