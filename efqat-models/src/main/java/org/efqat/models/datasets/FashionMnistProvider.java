package org.efqat.models.datasets;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;
import org.efqat.core.data.Dataset;
import org.efqat.core.data.DatasetProvider;
import org.efqat.models.data.DatasetLocator;
import org.efqat.models.data.FolderSearch;
import org.efqat.models.data.IdxFiles;
import org.efqat.models.data.Normalization;

/**
 * Registers full Fashion-MNIST (Xiao et al. 2017; 60,000 training and 10,000 test images, 28x28x1,
 * 10 classes) as {@code fashion-mnist}, read from the IDX files ({@link IdxFiles}) in {@code path},
 * else in {@code $}{@value #VARIABLE}, else in the Debian package's folder {@link #DEBIAN_FOLDER}
 * ({@code apt-get install dataset-fashion-mnist}).
 */
public final class FashionMnistProvider extends AbstractComponentProvider<Dataset, FolderConfig>
    implements DatasetProvider<FolderConfig> {
  /** The environment variable naming the folder. */
  public static final String VARIABLE = "EFQAT_FASHION_MNIST";

  /** Where the Debian package {@code dataset-fashion-mnist} puts the IDX files. */
  public static final Path DEBIAN_FOLDER = Path.of("/usr/share/datasets/fashion-mnist");

  /** Fashion-MNIST's classes. */
  public static final int CLASSES = 10;

  private final DatasetLocator locator;
  private final Path debianFolder;

  /**
   * Called by {@link java.util.ServiceLoader}: the process environment and {@link #DEBIAN_FOLDER}.
   */
  public FashionMnistProvider() {
    this(DatasetLocator.system(), DEBIAN_FOLDER);
  }

  /**
   * @param locator the environment to search
   * @param debianFolder the folder tried last, normally {@link #DEBIAN_FOLDER}
   */
  public FashionMnistProvider(DatasetLocator locator, Path debianFolder) {
    super(
        "fashion-mnist",
        FolderConfig.class,
        "Fashion-MNIST, 60k/10k 28x28x1 images, 10 classes, from IDX files (path, $"
            + VARIABLE
            + " or the Debian package)");
    this.locator = requireNonNull(locator, "locator is null");
    this.debianFolder = requireNonNull(debianFolder, "debianFolder is null");
  }

  /**
   * The published constants, mean 0.2860 and std 0.3530 of all training pixels on the {@code [0,
   * 1]} scale (checked here against the 60,000 training images of the Debian package: mean 0.28604,
   * std 0.35302). The bundled sample uses them too.
   *
   * @return Fashion-MNIST's normalization
   */
  public static Normalization normalization() {
    return Normalization.of(new double[] {0.2860}, new double[] {0.3530});
  }

  @Override
  public Dataset create(FolderConfig config, ComponentContext context) {
    FolderSearch search =
        FolderSearch.of(
                name(),
                VARIABLE,
                "install it with 'apt-get install dataset-fashion-mnist', or set "
                    + DatasetLocator.PATH_KEY
                    + " or "
                    + VARIABLE
                    + " to a folder holding "
                    + IdxFiles.DESCRIPTION)
            .withStandardFolder(debianFolder, "the Debian package folder");
    return new FolderDataset(
        name(), search, config.folder(), locator, normalization(), FolderDataset.idx(CLASSES));
  }
}
