package org.efqat.models.datasets;

import static java.util.Objects.requireNonNull;

import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;
import org.efqat.core.data.Dataset;
import org.efqat.core.data.DatasetProvider;
import org.efqat.models.data.DatasetLocator;
import org.efqat.models.data.FolderSearch;
import org.efqat.models.data.IdxFiles;
import org.efqat.models.data.Normalization;

/**
 * Registers the MNIST digits (LeCun et al. 1998; 60,000 training and 10,000 test images, 28x28x1,
 * 10 classes) as {@code mnist}, read from the IDX files ({@link IdxFiles}) in {@code path}, else in
 * {@code $}{@value #VARIABLE}.
 */
public final class MnistProvider extends AbstractComponentProvider<Dataset, FolderConfig>
    implements DatasetProvider<FolderConfig> {
  /** The environment variable naming the folder. */
  public static final String VARIABLE = "EFQAT_MNIST";

  /** The digits 0..9. */
  public static final int CLASSES = 10;

  private final DatasetLocator locator;

  /** Called by {@link java.util.ServiceLoader}: the process environment. */
  public MnistProvider() {
    this(DatasetLocator.system());
  }

  /**
   * @param locator the environment to search
   */
  public MnistProvider(DatasetLocator locator) {
    super(
        "mnist",
        FolderConfig.class,
        "MNIST digits, 60k/10k 28x28x1 images, 10 classes, from IDX files (path or $"
            + VARIABLE
            + ")");
    this.locator = requireNonNull(locator, "locator is null");
  }

  /**
   * The published constants: mean 0.1307, std 0.3081 on the {@code [0, 1]} scale.
   *
   * @return MNIST's normalization
   */
  public static Normalization normalization() {
    return Normalization.of(new double[] {0.1307}, new double[] {0.3081});
  }

  @Override
  public Dataset create(FolderConfig config, ComponentContext context) {
    FolderSearch search =
        FolderSearch.of(
            name(),
            VARIABLE,
            "set "
                + DatasetLocator.PATH_KEY
                + " or "
                + VARIABLE
                + " to a folder holding the MNIST files "
                + IdxFiles.DESCRIPTION);
    return new FolderDataset(
        name(), search, config.folder(), locator, normalization(), FolderDataset.idx(CLASSES));
  }
}
