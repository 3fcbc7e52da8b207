package org.efqat.models.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.efqat.models.data.TestFiles.cifarRecord;
import static org.efqat.models.data.TestFiles.concat;
import static org.efqat.models.data.TestFiles.idxFolder;
import static org.efqat.models.data.TestFiles.write;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.efqat.api.spi.ComponentContext;
import org.efqat.api.spi.NoOptions;
import org.efqat.core.data.InputFile;
import org.efqat.models.data.DatasetException;
import org.efqat.models.data.DatasetLocator;
import org.efqat.models.data.ImageDataSplit;
import org.efqat.models.data.TrainTestSplit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fashion-mnist}, {@code mnist} and {@code cifar10} find their folder in the experiment's
 * path, the environment, or (Fashion-MNIST) the Debian folder, with the same order and messages as
 * the {@code DatasetLocator} of the command line before datasets were components.
 */
class FolderDatasetProvidersTest {
  private static final ComponentContext CTX = ComponentContext.ofSeed(0);

  @TempDir Path dir;

  private static DatasetLocator env(Map<String, String> vars) {
    return new DatasetLocator(vars::get);
  }

  private static ImageDataSplit fashion(Map<String, String> vars, Path debian, Path path)
      throws IOException {
    return (ImageDataSplit)
        new FashionMnistProvider(env(vars), debian)
            .create(new FolderConfig(path == null ? null : path.toString()), CTX)
            .load();
  }

  private static ImageDataSplit mnist(Map<String, String> vars, Path path) throws IOException {
    return (ImageDataSplit)
        new MnistProvider(env(vars))
            .create(new FolderConfig(path == null ? null : path.toString()), CTX)
            .load();
  }

  private static ImageDataSplit cifar(Map<String, String> vars, Path path) throws IOException {
    return (ImageDataSplit)
        new Cifar10Provider(env(vars))
            .create(new FolderConfig(path == null ? null : path.toString()), CTX)
            .load();
  }

  @Test
  void fashionMnistPrefersThePathThenTheEnvironmentThenTheDebianFolder() throws Exception {
    Path given = idxFolder(dir.resolve("given"), 5, 2, false);
    Path fromEnv = idxFolder(dir.resolve("env"), 6, 3, true);
    Path debian = idxFolder(dir.resolve("debian"), 7, 4, true);
    Path absent = dir.resolve("absent");
    Map<String, String> vars = Map.of("EFQAT_FASHION_MNIST", fromEnv.toString());

    assertThat(fashion(vars, debian, given).trainSize()).isEqualTo(5);
    ImageDataSplit viaEnv = fashion(vars, debian, null);
    assertThat(viaEnv.trainSize()).isEqualTo(6);
    assertThat(viaEnv.inputFiles())
        .extracting(InputFile::name)
        .containsExactly(
            fromEnv.resolve("train-images-idx3-ubyte.gz").toString(),
            fromEnv.resolve("train-labels-idx1-ubyte.gz").toString(),
            fromEnv.resolve("t10k-images-idx3-ubyte.gz").toString(),
            fromEnv.resolve("t10k-labels-idx1-ubyte.gz").toString());
    ImageDataSplit split = fashion(Map.of(), debian, null);
    assertThat(split.trainSize()).isEqualTo(7);
    assertThat(split.testSize()).isEqualTo(4);
    assertThat(split.name()).isEqualTo("fashion-mnist");
    assertThat(split.split().train().name()).isEqualTo("fashion-mnist/train");
    assertThat(split.split().test().name()).isEqualTo("fashion-mnist/test");
    assertThat(split.sampleShape().h()).isEqualTo(2);
    assertThat(split.sampleShape().w()).isEqualTo(3);
    assertThat(split.normalization()).isEqualTo(FashionMnistProvider.normalization());
    // a named place is never skipped, even when another holds the data
    assertThatThrownBy(() -> fashion(vars, debian, absent))
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith(
            "fashion-mnist: data.dataset.path "
                + absent
                + " is missing (no such folder); nothing else is tried when a folder is named;"
                + " install it with");
    assertThatThrownBy(
            () -> fashion(Map.of("EFQAT_FASHION_MNIST", absent.toString()), debian, null))
        .hasMessageStartingWith(
            "fashion-mnist: $EFQAT_FASHION_MNIST=" + absent + " is missing (no such folder);");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThatThrownBy(() -> fashion(vars, debian, empty))
        .hasMessageStartingWith(
            "fashion-mnist: data.dataset.path " + empty + " is an empty folder;");
    Path file = write(dir.resolve("regular-file"), new byte[1]);
    assertThatThrownBy(() -> fashion(vars, debian, file))
        .hasMessageStartingWith(
            "fashion-mnist: data.dataset.path " + file + " is a file, not a folder;");
  }

  @Test
  void creatingDoesNoIoAndNowhereListsAllThreePlacesAndHowToInstall() {
    Path debian = dir.resolve("no-debian");
    var dataset =
        new FashionMnistProvider(env(Map.of()), debian).create(new FolderConfig(null), CTX);
    assertThatThrownBy(dataset::load)
        .isInstanceOf(DatasetException.class)
        .hasMessage(
            "fashion-mnist not found: tried data.dataset.path (not given), $EFQAT_FASHION_MNIST"
                + " (not set), the Debian package folder "
                + debian
                + " (no such folder); install"
                + " it with 'apt-get install dataset-fashion-mnist', or set data.dataset.path or"
                + " EFQAT_FASHION_MNIST to a folder holding train-images-idx3-ubyte[.gz],"
                + " train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz] and"
                + " t10k-labels-idx1-ubyte[.gz]");
  }

  @Test
  void aFolderWithoutTheFilesIsAnErrorNotAFallback() throws Exception {
    Path incomplete = idxFolder(dir.resolve("incomplete"), 3, 2, true);
    Files.delete(incomplete.resolve("t10k-labels-idx1-ubyte.gz"));
    Path debian = idxFolder(dir.resolve("debian"), 7, 4, true);
    assertThatThrownBy(() -> fashion(Map.of(), debian, incomplete))
        .isInstanceOf(DatasetException.class)
        .hasMessage(
            "fashion-mnist: folder "
                + incomplete
                + " (from data.dataset.path) has neither"
                + " t10k-labels-idx1-ubyte nor t10k-labels-idx1-ubyte.gz");
  }

  @Test
  void mnistUsesThePathOrTheEnvironmentOnly() throws Exception {
    Path given = idxFolder(dir.resolve("given"), 5, 2, true);
    Path fromEnv = idxFolder(dir.resolve("env"), 6, 3, false);
    Map<String, String> vars = Map.of("EFQAT_MNIST", fromEnv.toString());
    assertThat(mnist(vars, given).trainSize()).isEqualTo(5);
    ImageDataSplit split = mnist(vars, null);
    assertThat(split.trainSize()).isEqualTo(6);
    assertThat(split.split().train().name()).isEqualTo("mnist/train");
    assertThat(split.normalization()).isEqualTo(MnistProvider.normalization());
    // the Fashion-MNIST variable is not MNIST's
    assertThatThrownBy(() -> mnist(Map.of("EFQAT_FASHION_MNIST", given.toString()), null))
        .isInstanceOf(DatasetException.class)
        .hasMessage(
            "mnist not found: tried data.dataset.path (not given), $EFQAT_MNIST (not set); set"
                + " data.dataset.path or EFQAT_MNIST to a folder holding the MNIST files"
                + " train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],"
                + " t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz]");
  }

  @Test
  void acceptsTheDottedIdxSpelling() throws Exception {
    Path folder = idxFolder(dir.resolve("m"), 4, 2, false);
    Files.move(
        folder.resolve("train-images-idx3-ubyte"), folder.resolve("train-images.idx3-ubyte"));
    ImageDataSplit split = mnist(Map.of(), folder);
    assertThat(split.trainSize()).isEqualTo(4);
    assertThat(split.inputFiles().get(0).name()).endsWith("train-images.idx3-ubyte");
  }

  private static Path cifarFolder(Path folder) {
    for (int b = 1; b <= 5; b++) {
      write(
          folder.resolve("data_batch_" + b + ".bin"), concat(cifarRecord(b, b), cifarRecord(0, 0)));
    }
    write(folder.resolve("test_batch.bin"), cifarRecord(9, 3));
    return folder;
  }

  @Test
  void cifar10FromThePathTheEnvironmentOrTheExtractedSubfolder() throws Exception {
    Path given = cifarFolder(dir.resolve("given"));
    Path parent = dir.resolve("parent");
    cifarFolder(parent.resolve("cifar-10-batches-bin"));
    Map<String, String> vars = Map.of("EFQAT_CIFAR10", parent.toString());
    ImageDataSplit split = cifar(vars, given);
    TrainTestSplit data = split.split();
    assertThat(data.train().size()).isEqualTo(10);
    assertThat(data.train().labels()).containsExactly(1, 0, 2, 0, 3, 0, 4, 0, 5, 0);
    assertThat(data.test().labels()).containsExactly(9);
    assertThat(split.sampleShape().c()).isEqualTo(3);
    assertThat(data.test().name()).isEqualTo("cifar10/test");
    assertThat(split.normalization()).isEqualTo(Cifar10Provider.normalization());
    assertThat(split.augmentation().pad()).isEqualTo(4);
    assertThat(split.inputFiles()).hasSize(6);
    ImageDataSplit viaEnv = cifar(vars, null);
    assertThat(viaEnv.trainSize()).isEqualTo(10);
    assertThat(viaEnv.inputFiles().get(5).name())
        .isEqualTo(parent.resolve("cifar-10-batches-bin").resolve("test_batch.bin").toString());

    Files.delete(given.resolve("data_batch_4.bin"));
    assertThatThrownBy(() -> cifar(vars, given))
        .hasMessage(
            "cifar10: folder " + given + " (from data.dataset.path) has no" + " data_batch_4.bin");
    assertThatThrownBy(() -> cifar(Map.of(), null))
        .hasMessage(
            "cifar10 not found: tried data.dataset.path (not given), $EFQAT_CIFAR10 (not set);"
                + " download the binary version (cifar-10-binary.tar.gz) from"
                + " https://www.cs.toronto.edu/~kriz/cifar.html and extract it, and set"
                + " data.dataset.path or EFQAT_CIFAR10 to its cifar-10-batches-bin folder"
                + " (data_batch_1.bin .. data_batch_5.bin, test_batch.bin)");
  }

  @Test
  void theFullDebianFashionMnistLoadsWhenInstalled() throws Exception {
    assumeTrue(
        Files.isDirectory(FashionMnistProvider.DEBIAN_FOLDER),
        "dataset-fashion-mnist is not installed");
    ImageDataSplit full = fashion(Map.of(), FashionMnistProvider.DEBIAN_FOLDER, null);
    assertThat(full.trainSize()).isEqualTo(60000);
    assertThat(full.testSize()).isEqualTo(10000);
    assertThat(full.split().train().classCounts()).containsOnly(6000);
    // the bundled sample is its first 6000 / 1000 images
    ImageDataSplit sample =
        (ImageDataSplit) new FashionMnistSampleProvider().create(new NoOptions(), CTX).load();
    assertThat(full.split().train().head(6000).pixels()).isEqualTo(sample.split().train().pixels());
    assertThat(full.split().test().head(1000).labels())
        .containsExactly(sample.split().test().labels());
  }
}
