package org.efqat.core.train;

import java.util.List;
import java.util.SplittableRandom;
import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;
import org.efqat.api.spi.ConfigValueException;
import org.efqat.core.data.Dataset;
import org.efqat.core.data.DatasetProvider;
import org.efqat.core.data.InputFile;
import org.efqat.core.data.LoadedDataset;
import org.efqat.core.nn.FeatureShape;

/**
 * A test dataset component, {@code test-patches}: {@link TinyNets#data}'s toy task (6x6x1, 3
 * classes) generated from the context's stream {@code data.test-patches}. Core's tests use it where
 * efqat-models' datasets are not on the class path.
 */
public final class TinyPatchesProvider
    extends AbstractComponentProvider<Dataset, TinyPatchesProvider.Config>
    implements DatasetProvider<TinyPatchesProvider.Config> {
  /**
   * @param trainSamples training samples; default 96
   * @param testSamples test samples; default 48
   */
  public record Config(Integer trainSamples, Integer testSamples) {
    /** Applies defaults. */
    public Config {
      trainSamples = trainSamples == null ? 96 : trainSamples;
      testSamples = testSamples == null ? 48 : testSamples;
      ConfigValueException.requireInRange("trainSamples", trainSamples, 1, 100_000);
    }
  }

  /** Registers the dataset. */
  public TinyPatchesProvider() {
    super("test-patches", Config.class, "core test data: a bright patch at one of 3 places");
  }

  @Override
  public Dataset create(Config config, ComponentContext context) {
    return () -> {
      SplittableRandom r = context.random("data.test-patches");
      return new Loaded(
          TinyNets.arrays(r.nextLong(), config.trainSamples()),
          TinyNets.arrays(r.nextLong(), config.testSamples()));
    };
  }

  /** The generated splits. */
  private record Loaded(TinyNets.Arrays train, TinyNets.Arrays test) implements LoadedDataset {
    @Override
    public String name() {
      return "test-patches";
    }

    @Override
    public FeatureShape sampleShape() {
      return TinyNets.SAMPLE;
    }

    @Override
    public int classes() {
      return TinyNets.CLASSES;
    }

    @Override
    public int trainSize() {
      return train.labels().length;
    }

    @Override
    public int testSize() {
      return test.labels().length;
    }

    @Override
    public LoadedDataset head(Integer trainSamples, Integer testSamples) {
      return new Loaded(train.head(trainSamples), test.head(testSamples));
    }

    @Override
    public Batches trainBatches(int batchSize, SplittableRandom random, boolean augment) {
      return new InMemoryBatches(
          train.images(), train.labels(), 36, batchSize, random == null ? null : random.split());
    }

    @Override
    public Batches testBatches(int batchSize) {
      return new InMemoryBatches(test.images(), test.labels(), 36, batchSize, null);
    }

    @Override
    public List<InputFile> inputFiles() {
      return List.of();
    }
  }
}
