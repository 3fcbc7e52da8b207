package org.efqat.models.datasets;

import java.util.List;
import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;
import org.efqat.core.data.Dataset;
import org.efqat.core.data.DatasetProvider;
import org.efqat.models.data.Augmentation;
import org.efqat.models.data.ImageDataSplit;
import org.efqat.models.data.ImageDataset;
import org.efqat.models.data.Normalization;
import org.efqat.models.data.RandomImages;
import org.efqat.models.data.TrainTestSplit;

/**
 * Registers {@code random-images}: uniform random pixels in {@code [0, 1)} and random labels
 * ({@link RandomImages}) of any shape, drawn from the component's stream {@code
 * context.random("data.<name>")}; the training and the test split are the same images. Nothing to
 * learn: it times models on inputs of a given shape ({@code efqat bench}). Not normalized.
 */
public final class RandomImagesProvider
    extends AbstractComponentProvider<Dataset, RandomImagesConfig>
    implements DatasetProvider<RandomImagesConfig> {
  /** Called by {@link java.util.ServiceLoader}. */
  public RandomImagesProvider() {
    super(
        "random-images",
        RandomImagesConfig.class,
        "uniform random images and labels of any shape, for timing (train = test)");
  }

  @Override
  public Dataset create(RandomImagesConfig config, ComponentContext context) {
    return () -> {
      ImageDataset images =
          RandomImages.generate(
              name(),
              config.side(),
              config.channels(),
              config.classes(),
              config.samples(),
              context.random("data." + name()));
      return new ImageDataSplit(
          name(),
          new TrainTestSplit(images, images),
          Normalization.NONE,
          Augmentation.cropAndFlipFor(config.side()),
          List.of());
    };
  }
}
