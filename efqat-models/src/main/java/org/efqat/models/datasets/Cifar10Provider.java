package org.efqat.models.datasets;

import static java.util.Objects.requireNonNull;

import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;
import org.efqat.core.data.Dataset;
import org.efqat.core.data.DatasetProvider;
import org.efqat.models.data.Cifar10Files;
import org.efqat.models.data.DatasetLocator;
import org.efqat.models.data.FolderSearch;
import org.efqat.models.data.Normalization;

/**
 * Registers CIFAR-10 (Krizhevsky 2009; 50,000 training and 10,000 test images, 32x32x3, 10 classes)
 * as {@code cifar10}, read from the binary batches ({@link Cifar10Files}) in {@code path}, else in
 * {@code $}{@value #VARIABLE}; either may be the folder holding {@code cifar-10-batches-bin}.
 */
public final class Cifar10Provider extends AbstractComponentProvider<Dataset, FolderConfig>
    implements DatasetProvider<FolderConfig> {
  /** The environment variable naming the folder. */
  public static final String VARIABLE = "EFQAT_CIFAR10";

  private final DatasetLocator locator;

  /** Called by {@link java.util.ServiceLoader}: the process environment. */
  public Cifar10Provider() {
    this(DatasetLocator.system());
  }

  /**
   * @param locator the environment to search
   */
  public Cifar10Provider(DatasetLocator locator) {
    super(
        "cifar10",
        FolderConfig.class,
        "CIFAR-10, 50k/10k 32x32x3 images, 10 classes, from the binary batches (path or $"
            + VARIABLE
            + ")");
    this.locator = requireNonNull(locator, "locator is null");
  }

  /**
   * The published constants, channels R, G, B: mean (0.4914, 0.4822, 0.4465), std (0.2470, 0.2435,
   * 0.2616) on the {@code [0, 1]} scale.
   *
   * @return CIFAR-10's normalization
   */
  public static Normalization normalization() {
    return Normalization.of(
        new double[] {0.4914, 0.4822, 0.4465}, new double[] {0.2470, 0.2435, 0.2616});
  }

  @Override
  public Dataset create(FolderConfig config, ComponentContext context) {
    FolderSearch search =
        FolderSearch.of(
            name(),
            VARIABLE,
            Cifar10Files.HOW_TO_GET
                + ", and set "
                + DatasetLocator.PATH_KEY
                + " or "
                + VARIABLE
                + " to its "
                + Cifar10Files.SUBFOLDER
                + " folder (data_batch_1.bin .. data_batch_5.bin, test_batch.bin)");
    return new FolderDataset(
        name(),
        search,
        config.folder(),
        locator,
        normalization(),
        (dataset, folder) -> {
          Cifar10Files files = Cifar10Files.find(dataset, folder);
          return new FolderDataset.Read(files.read(dataset), files.all());
        });
  }
}
