package org.efqat.models.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.efqat.api.spi.ComponentContext;

/**
 * Turns a dataset name (and an optional path) into a {@link TrainTestSplit}.
 *
 * <table>
 *   <caption>Datasets</caption>
 *   <tr><th>Name</th><th>Where from</th><th>Shape, classes</th></tr>
 *   <tr><td>{@code fashion-mnist-sample}</td><td>bundled in this jar: the first 6000 training
 *       and first 1000 test images of Fashion-MNIST</td><td>28x28x1, 10</td></tr>
 *   <tr><td>{@code fashion-mnist}</td><td>the path, else {@code $EFQAT_FASHION_MNIST}, else the
 *       Debian package's folder {@code /usr/share/datasets/fashion-mnist}</td>
 *       <td>28x28x1, 10</td></tr>
 *   <tr><td>{@code mnist}</td><td>the path, else {@code $EFQAT_MNIST}</td><td>28x28x1, 10</td></tr>
 *   <tr><td>{@code cifar10}</td><td>the path, else {@code $EFQAT_CIFAR10}</td>
 *       <td>32x32x3, 10</td></tr>
 *   <tr><td>{@code synthetic}</td><td>generated from the seed ({@link SyntheticDataset}, {@value
 *       #SYNTHETIC_TRAIN} training and {@value #SYNTHETIC_TEST} test samples)</td>
 *       <td>28x28x1, 10</td></tr>
 * </table>
 *
 * <p>Resolution of a folder: the places are tried in the order above, and the first that exists as
 * a folder is used; if it then lacks a file, that is an error naming the folder and the file (no
 * further fallback). If no place exists, the error lists every place tried and how to get the
 * data. {@link #folder} tells where a dataset would be read from, for logs and provenance.
 *
 * <p>Folder contents: IDX datasets need {@code train-images-idx3-ubyte}, {@code
 * train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte},
 * each plain or with {@code .gz} (the spelling {@code train-images.idx3-ubyte} is accepted too).
 * CIFAR-10 needs {@link Cifar10Reader#TRAIN_FILES} and {@link Cifar10Reader#TEST_FILES}, in the
 * folder or in its {@code cifar-10-batches-bin} subfolder.
 *
 * <p>The environment is a function given to the constructor, never read statically, so tests
 * inject their own. The loaded sets are named {@code <dataset>/train} and {@code <dataset>/test}.
 */
public final class DatasetLocator {
  /** The bundled Fashion-MNIST sample. */
  public static final String FASHION_MNIST_SAMPLE = "fashion-mnist-sample";

  /** Full Fashion-MNIST. */
  public static final String FASHION_MNIST = "fashion-mnist";

  /** MNIST digits. */
  public static final String MNIST = "mnist";

  /** CIFAR-10, binary version. */
  public static final String CIFAR10 = "cifar10";

  /** The generated toy task. */
  public static final String SYNTHETIC = "synthetic";

  /** Every name {@link #load} accepts. */
  public static final List<String> DATASETS =
      List.of(FASHION_MNIST_SAMPLE, FASHION_MNIST, MNIST, CIFAR10, SYNTHETIC);

  /** Environment variable naming a Fashion-MNIST folder. */
  public static final String FASHION_MNIST_ENV = "EFQAT_FASHION_MNIST";

  /** Environment variable naming an MNIST folder. */
  public static final String MNIST_ENV = "EFQAT_MNIST";

  /** Environment variable naming a CIFAR-10 binary folder. */
  public static final String CIFAR10_ENV = "EFQAT_CIFAR10";

  /** Where the Debian package {@code dataset-fashion-mnist} puts the IDX files. */
  public static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

  /** Classpath folder of the bundled sample (with its README and license). */
  public static final String SAMPLE_RESOURCES = "org/efqat/models/data/fashion-mnist-sample/";

  /** Training samples of {@code synthetic}. */
  public static final int SYNTHETIC_TRAIN = 4096;

  /** Test samples of {@code synthetic}. */
  public static final int SYNTHETIC_TEST = 1024;

  /** Image side of {@code synthetic}. */
  public static final int SYNTHETIC_SIDE = 28;

  /** Classes of {@code synthetic} (and of every other dataset here). */
  public static final int CLASSES = 10;

  /**
   * The component name whose {@link ComponentContext#random(String)} stream generates {@code
   * synthetic} from the seed.
   */
  public static final String SYNTHETIC_RANDOM = "data.synthetic";

  private static final String[] IDX_TRAIN = {
    "train-images", "idx3-ubyte", "train-labels", "idx1-ubyte"
  };
  private static final String[] IDX_TEST = {
    "t10k-images", "idx3-ubyte", "t10k-labels", "idx1-ubyte"
  };
  private static final String CIFAR_SUBFOLDER = "cifar-10-batches-bin";

  private final Function<String, String> env;
  private final Path debianFashionMnist;

  /**
   * @param env the environment, for example {@code System::getenv}; returns {@code null} for an
   *     unset variable
   * @param debianFashionMnist the Debian package's Fashion-MNIST folder, normally {@link
   *     #DEBIAN_FASHION_MNIST}
   */
  public DatasetLocator(Function<String, String> env, Path debianFashionMnist) {
    this.env = Objects.requireNonNull(env, "env");
    this.debianFashionMnist = Objects.requireNonNull(debianFashionMnist, "debianFashionMnist");
  }

  /** @return a locator over the process environment and the standard Debian folder */
  public static DatasetLocator system() {
    return new DatasetLocator(System::getenv, DEBIAN_FASHION_MNIST);
  }

  /**
   * Loads a dataset.
   *
   * @param dataset one of {@link #DATASETS}
   * @param path the dataset's folder, or {@code null} to use the environment variable or default;
   *     must be {@code null} for {@code fashion-mnist-sample} and {@code synthetic}
   * @param seed the run's seed; only {@code synthetic} uses it (through {@code
   *     ComponentContext.ofSeed(seed).random(SYNTHETIC_RANDOM)})
   * @return the training and test sets
   * @throws DatasetException if the name is unknown, the data cannot be found, or a file is not
   *     in the expected format; the message is one line
   * @throws IOException on other read failures
   */
  public TrainTestSplit load(String dataset, Path path, long seed) throws IOException {
    checkName(dataset);
    switch (dataset) {
      case FASHION_MNIST_SAMPLE -> {
        noPath(dataset, path);
        return loadSample();
      }
      case SYNTHETIC -> {
        noPath(dataset, path);
        return synthetic(seed);
      }
      case CIFAR10 -> {
        return loadCifar(resolve(dataset, path));
      }
      default -> {
        return loadIdx(dataset, resolve(dataset, path));
      }
    }
  }

  /**
   * Where a dataset would be read from.
   *
   * @param dataset one of {@link #DATASETS}
   * @param path as for {@link #load}
   * @return the folder, or empty for {@code fashion-mnist-sample} (classpath) and {@code
   *     synthetic} (generated)
   * @throws DatasetException as {@link #load} does when the folder cannot be found
   */
  public Optional<Path> folder(String dataset, Path path) throws DatasetException {
    checkName(dataset);
    if (dataset.equals(FASHION_MNIST_SAMPLE) || dataset.equals(SYNTHETIC)) {
      noPath(dataset, path);
      return Optional.empty();
    }
    Path folder = resolve(dataset, path).folder;
    return Optional.of(dataset.equals(CIFAR10) ? cifarFolder(folder) : folder);
  }

  /**
   * The {@code synthetic} dataset for a seed: {@value #SYNTHETIC_SIDE}x{@value
   * #SYNTHETIC_SIDE}x1, {@value #CLASSES} classes, {@link SyntheticDataset#DEFAULT_NOISE}; the
   * templates, then the training set, then the test set are drawn from one stream.
   *
   * @param seed the run's seed
   * @return {@value #SYNTHETIC_TRAIN} training and {@value #SYNTHETIC_TEST} test samples
   */
  public static TrainTestSplit synthetic(long seed) {
    SplittableRandom random = ComponentContext.ofSeed(seed).random(SYNTHETIC_RANDOM);
    SyntheticDataset task =
        new SyntheticDataset(
            SYNTHETIC_SIDE, SYNTHETIC_SIDE, 1, CLASSES, SyntheticDataset.DEFAULT_NOISE, random);
    return new TrainTestSplit(
        task.sample(SYNTHETIC + "/train", SYNTHETIC_TRAIN, random),
        task.sample(SYNTHETIC + "/test", SYNTHETIC_TEST, random));
  }

  /**
   * The bundled Fashion-MNIST sample: the first 6000 training and the first 1000 test images,
   * 28x28x1, 10 classes (see the README next to the files, {@link #SAMPLE_RESOURCES}).
   *
   * @return the sample
   * @throws DatasetException if the resources are missing from the classpath or damaged
   */
  public static TrainTestSplit loadSample() throws IOException {
    return new TrainTestSplit(
        sampleSet("train", "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
        sampleSet("test", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"));
  }

  private static ImageDataset sampleSet(String split, String imagesFile, String labelsFile)
      throws IOException {
    String images = SAMPLE_RESOURCES + imagesFile;
    String labels = SAMPLE_RESOURCES + labelsFile;
    ClassLoader loader = DatasetLocator.class.getClassLoader();
    try (InputStream imageIn = resource(loader, images);
        InputStream labelIn = resource(loader, labels)) {
      return IdxReader.read(
          FASHION_MNIST_SAMPLE + "/" + split,
          imageIn,
          "classpath:" + images,
          labelIn,
          "classpath:" + labels,
          CLASSES);
    }
  }

  private static InputStream resource(ClassLoader loader, String name) throws DatasetException {
    InputStream in = loader.getResourceAsStream(name);
    if (in == null) {
      throw new DatasetException(
          "classpath:" + name + ": missing; the efqat-models jar on the classpath should hold "
              + "the bundled Fashion-MNIST sample");
    }
    return in;
  }

  private static void checkName(String dataset) throws DatasetException {
    if (dataset == null || !DATASETS.contains(dataset)) {
      throw new DatasetException(
          "unknown dataset '" + dataset + "'; known: " + String.join(", ", DATASETS));
    }
  }

  private static void noPath(String dataset, Path path) throws DatasetException {
    if (path != null) {
      throw new DatasetException(
          "dataset '" + dataset + "' takes no path, but data.path is " + path);
    }
  }

  /** A resolved folder and how it was found. */
  private static final class Found {
    final Path folder;
    final String origin;

    Found(Path folder, String origin) {
      this.folder = folder;
      this.origin = origin;
    }
  }

  private Found resolve(String dataset, Path path) throws DatasetException {
    String variable =
        switch (dataset) {
          case FASHION_MNIST -> FASHION_MNIST_ENV;
          case MNIST -> MNIST_ENV;
          default -> CIFAR10_ENV;
        };
    List<String> tried = new ArrayList<>();
    // 1. the path given
    if (path == null) {
      tried.add("data.path (not given)");
    } else if (Files.isDirectory(path)) {
      return new Found(path, "data.path");
    } else {
      tried.add("data.path " + path + " (" + missing(path) + ")");
    }
    // 2. the environment variable
    String value = env.apply(variable);
    if (value == null || value.isBlank()) {
      tried.add("$" + variable + " (not set)");
    } else {
      Path fromEnv;
      try {
        fromEnv = Path.of(value);
      } catch (InvalidPathException e) {
        fromEnv = null;
        tried.add("$" + variable + "=" + value + " (not a valid path)");
      }
      if (fromEnv != null) {
        if (Files.isDirectory(fromEnv)) {
          return new Found(fromEnv, "$" + variable);
        }
        tried.add("$" + variable + "=" + value + " (" + missing(fromEnv) + ")");
      }
    }
    // 3. the Debian package (Fashion-MNIST only)
    if (dataset.equals(FASHION_MNIST)) {
      if (Files.isDirectory(debianFashionMnist)) {
        return new Found(debianFashionMnist, "the dataset-fashion-mnist package");
      }
      tried.add(
          "the Debian package folder " + debianFashionMnist + " (" + missing(debianFashionMnist)
              + ")");
    }
    throw new DatasetException(
        dataset + " not found: tried " + String.join(", ", tried) + "; "
            + howToGet(dataset, variable));
  }

  private static String missing(Path p) {
    return Files.exists(p) ? "not a folder" : "no such folder";
  }

  private static String howToGet(String dataset, String variable) {
    return switch (dataset) {
      case FASHION_MNIST ->
          "install it with 'apt-get install dataset-fashion-mnist', or set data.path or "
              + variable + " to a folder holding " + idxFileList();
      case MNIST -> "set data.path or " + variable + " to a folder holding the MNIST files "
          + idxFileList();
      default -> "download the binary version (cifar-10-binary.tar.gz) from "
          + "https://www.cs.toronto.edu/~kriz/cifar.html, extract it, and set data.path or "
          + variable + " to its " + CIFAR_SUBFOLDER + " folder (data_batch_1.bin .. "
          + "data_batch_5.bin, test_batch.bin)";
    };
  }

  private static String idxFileList() {
    return IDX_TRAIN[0] + "-" + IDX_TRAIN[1] + "[.gz], " + IDX_TRAIN[2] + "-" + IDX_TRAIN[3]
        + "[.gz], " + IDX_TEST[0] + "-" + IDX_TEST[1] + "[.gz] and " + IDX_TEST[2] + "-"
        + IDX_TEST[3] + "[.gz]";
  }

  private static TrainTestSplit loadIdx(String dataset, Found found) throws IOException {
    Path trainImages = idxFile(dataset, found, IDX_TRAIN[0], IDX_TRAIN[1]);
    Path trainLabels = idxFile(dataset, found, IDX_TRAIN[2], IDX_TRAIN[3]);
    Path testImages = idxFile(dataset, found, IDX_TEST[0], IDX_TEST[1]);
    Path testLabels = idxFile(dataset, found, IDX_TEST[2], IDX_TEST[3]);
    return new TrainTestSplit(
        IdxReader.read(dataset + "/train", trainImages, trainLabels, CLASSES),
        IdxReader.read(dataset + "/test", testImages, testLabels, CLASSES));
  }

  /** {@code stem-kind}, {@code stem-kind.gz}, {@code stem.kind} or {@code stem.kind.gz}. */
  private static Path idxFile(String dataset, Found found, String stem, String kind)
      throws DatasetException {
    String[] names = {
      stem + "-" + kind, stem + "-" + kind + ".gz", stem + "." + kind, stem + "." + kind + ".gz"
    };
    for (String name : names) {
      Path file = found.folder.resolve(name);
      if (Files.isRegularFile(file)) {
        return file;
      }
    }
    throw new DatasetException(
        dataset + ": folder " + found.folder + " (from " + found.origin + ") has neither "
            + names[0] + " nor " + names[1]);
  }

  private static TrainTestSplit loadCifar(Found found) throws IOException {
    Path folder = cifarFolder(found.folder);
    List<Path> train = new ArrayList<>();
    for (String name : Cifar10Reader.TRAIN_FILES) {
      train.add(cifarFile(folder, found.origin, name));
    }
    List<Path> test = new ArrayList<>();
    for (String name : Cifar10Reader.TEST_FILES) {
      test.add(cifarFile(folder, found.origin, name));
    }
    return new TrainTestSplit(
        Cifar10Reader.read(CIFAR10 + "/train", train), Cifar10Reader.read(CIFAR10 + "/test", test));
  }

  /** The folder itself, or its cifar-10-batches-bin subfolder if only that holds the batches. */
  private static Path cifarFolder(Path folder) {
    if (!Files.isRegularFile(folder.resolve(Cifar10Reader.TRAIN_FILES.get(0)))
        && Files.isDirectory(folder.resolve(CIFAR_SUBFOLDER))) {
      return folder.resolve(CIFAR_SUBFOLDER);
    }
    return folder;
  }

  private static Path cifarFile(Path folder, String origin, String name) throws DatasetException {
    Path file = folder.resolve(name);
    if (!Files.isRegularFile(file)) {
      throw new DatasetException(
          CIFAR10 + ": folder " + folder + " (from " + origin + ") has no " + name);
    }
    return file;
  }
}
