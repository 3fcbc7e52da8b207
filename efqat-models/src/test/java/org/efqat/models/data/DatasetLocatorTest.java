package org.efqat.models.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.efqat.models.data.TestFiles.cifarRecord;
import static org.efqat.models.data.TestFiles.concat;
import static org.efqat.models.data.TestFiles.idxFolder;
import static org.efqat.models.data.TestFiles.write;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetLocatorTest {
  @TempDir Path dir;

  private static Function<String, String> env(Map<String, String> vars) {
    return vars::get;
  }

  private DatasetLocator locator(Map<String, String> vars, Path debian) {
    return new DatasetLocator(env(vars), debian);
  }

  @Test
  void fashionMnistPrefersThePathThenTheEnvironmentThenTheDebianFolder() throws Exception {
    Path given = idxFolder(dir.resolve("given"), 5, 2, false);
    Path fromEnv = idxFolder(dir.resolve("env"), 6, 3, true);
    Path debian = idxFolder(dir.resolve("debian"), 7, 4, true);
    Path absent = dir.resolve("absent");
    Map<String, String> vars = Map.of("EFQAT_FASHION_MNIST", fromEnv.toString());

    DatasetLocator all = locator(vars, debian);
    assertThat(all.load("fashion-mnist", given, 0).train().size()).isEqualTo(5);
    assertThat(all.load("fashion-mnist", null, 0).train().size()).isEqualTo(6);
    assertThat(all.folder("fashion-mnist", null)).contains(fromEnv);
    DatasetLocator noEnv = locator(Map.of(), debian);
    TrainTestSplit split = noEnv.load("fashion-mnist", null, 0);
    assertThat(split.train().size()).isEqualTo(7);
    assertThat(split.test().size()).isEqualTo(4);
    assertThat(split.train().name()).isEqualTo("fashion-mnist/train");
    assertThat(split.test().name()).isEqualTo("fashion-mnist/test");
    assertThat(split.train().height()).isEqualTo(2);
    assertThat(split.train().width()).isEqualTo(3);
    // a place that does not exist is skipped
    assertThat(all.load("fashion-mnist", absent, 0).train().size()).isEqualTo(6);
    DatasetLocator envAbsent = locator(Map.of("EFQAT_FASHION_MNIST", absent.toString()), debian);
    assertThat(envAbsent.load("fashion-mnist", null, 0).train().size()).isEqualTo(7);
  }

  @Test
  void fashionMnistNowhereListsAllThreePlacesAndHowToInstall() {
    Path absent = dir.resolve("absent");
    Path debian = dir.resolve("no-debian");
    assertThatThrownBy(() -> locator(Map.of(), debian).load("fashion-mnist", null, 0))
        .isInstanceOf(DatasetException.class)
        .hasMessage(
            "fashion-mnist not found: tried data.path (not given), $EFQAT_FASHION_MNIST (not set),"
                + " the Debian package folder " + debian + " (no such folder); install it with"
                + " 'apt-get install dataset-fashion-mnist', or set data.path or"
                + " EFQAT_FASHION_MNIST to a folder holding train-images-idx3-ubyte[.gz],"
                + " train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz] and"
                + " t10k-labels-idx1-ubyte[.gz]");
    Path file = write(dir.resolve("a-file"), new byte[1]);
    assertThatThrownBy(
            () ->
                locator(Map.of("EFQAT_FASHION_MNIST", file.toString()), debian)
                    .load("fashion-mnist", absent, 0))
        .hasMessageStartingWith(
            "fashion-mnist not found: tried data.path " + absent + " (no such folder),"
                + " $EFQAT_FASHION_MNIST=" + file + " (not a folder), the Debian package folder "
                + debian + " (no such folder); ");
  }

  @Test
  void aFolderWithoutTheFilesIsAnErrorNotAFallback() throws Exception {
    Path incomplete = idxFolder(dir.resolve("incomplete"), 3, 2, true);
    Files.delete(incomplete.resolve("t10k-labels-idx1-ubyte.gz"));
    Path debian = idxFolder(dir.resolve("debian"), 7, 4, true);
    assertThatThrownBy(() -> locator(Map.of(), debian).load("fashion-mnist", incomplete, 0))
        .isInstanceOf(DatasetException.class)
        .hasMessage(
            "fashion-mnist: folder " + incomplete + " (from data.path) has neither"
                + " t10k-labels-idx1-ubyte nor t10k-labels-idx1-ubyte.gz");
  }

  @Test
  void mnistUsesThePathOrTheEnvironmentOnly() throws Exception {
    Path given = idxFolder(dir.resolve("given"), 5, 2, true);
    Path fromEnv = idxFolder(dir.resolve("env"), 6, 3, false);
    Path debian = idxFolder(dir.resolve("debian"), 7, 4, true);
    DatasetLocator withEnv = locator(Map.of("EFQAT_MNIST", fromEnv.toString()), debian);
    assertThat(withEnv.load("mnist", given, 0).train().size()).isEqualTo(5);
    TrainTestSplit split = withEnv.load("mnist", null, 0);
    assertThat(split.train().size()).isEqualTo(6);
    assertThat(split.train().name()).isEqualTo("mnist/train");
    // the Fashion-MNIST variable and the Debian folder are not MNIST
    DatasetLocator none =
        locator(Map.of("EFQAT_FASHION_MNIST", given.toString()), debian);
    assertThatThrownBy(() -> none.load("mnist", null, 0))
        .isInstanceOf(DatasetException.class)
        .hasMessage(
            "mnist not found: tried data.path (not given), $EFQAT_MNIST (not set); set data.path"
                + " or EFQAT_MNIST to a folder holding the MNIST files"
                + " train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],"
                + " t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz]");
  }

  @Test
  void acceptsTheDottedIdxSpelling() throws Exception {
    Path folder = idxFolder(dir.resolve("m"), 4, 2, false);
    Files.move(
        folder.resolve("train-images-idx3-ubyte"), folder.resolve("train-images.idx3-ubyte"));
    assertThat(locator(Map.of(), dir).load("mnist", folder, 0).train().size()).isEqualTo(4);
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
    DatasetLocator loc = locator(Map.of("EFQAT_CIFAR10", parent.toString()), dir.resolve("x"));
    TrainTestSplit split = loc.load("cifar10", given, 0);
    assertThat(split.train().size()).isEqualTo(10);
    assertThat(split.train().labels()).containsExactly(1, 0, 2, 0, 3, 0, 4, 0, 5, 0);
    assertThat(split.test().labels()).containsExactly(9);
    assertThat(split.train().channels()).isEqualTo(3);
    assertThat(split.test().name()).isEqualTo("cifar10/test");
    assertThat(loc.load("cifar10", null, 0).train().size()).isEqualTo(10);
    assertThat(loc.folder("cifar10", null)).contains(parent.resolve("cifar-10-batches-bin"));

    Files.delete(given.resolve("data_batch_4.bin"));
    assertThatThrownBy(() -> loc.load("cifar10", given, 0))
        .hasMessage("cifar10: folder " + given + " (from data.path) has no data_batch_4.bin");
    assertThatThrownBy(() -> locator(Map.of(), dir).load("cifar10", null, 0))
        .hasMessage(
            "cifar10 not found: tried data.path (not given), $EFQAT_CIFAR10 (not set); download"
                + " the binary version (cifar-10-binary.tar.gz) from"
                + " https://www.cs.toronto.edu/~kriz/cifar.html, extract it, and set data.path or"
                + " EFQAT_CIFAR10 to its cifar-10-batches-bin folder (data_batch_1.bin .."
                + " data_batch_5.bin, test_batch.bin)");
  }

  @Test
  void syntheticIsGeneratedFromTheSeed() throws Exception {
    DatasetLocator loc = locator(Map.of(), dir);
    TrainTestSplit a = loc.load("synthetic", null, 42);
    TrainTestSplit b = loc.load("synthetic", null, 42);
    TrainTestSplit c = loc.load("synthetic", null, 43);
    assertThat(a.train().size()).isEqualTo(4096);
    assertThat(a.test().size()).isEqualTo(1024);
    assertThat(a.train().height()).isEqualTo(28);
    assertThat(a.train().channels()).isEqualTo(1);
    assertThat(a.train().classes()).isEqualTo(10);
    assertThat(a.train().name()).isEqualTo("synthetic/train");
    assertThat(a.train().pixels()).isEqualTo(b.train().pixels());
    assertThat(a.test().labels()).containsExactly(b.test().labels());
    assertThat(a.train().pixels()).isNotEqualTo(c.train().pixels());
    assertThat(a.train().pixels()).isNotEqualTo(a.test().head(4096).pixels());
    assertThat(loc.folder("synthetic", null)).isEqualTo(Optional.empty());
  }

  @Test
  void theBundledSampleLoads() throws Exception {
    TrainTestSplit s = locator(Map.of(), dir.resolve("none")).load("fashion-mnist-sample", null, 0);
    for (ImageDataset d : new ImageDataset[] {s.train(), s.test()}) {
      assertThat(d.height()).isEqualTo(28);
      assertThat(d.width()).isEqualTo(28);
      assertThat(d.channels()).isEqualTo(1);
      assertThat(d.classes()).isEqualTo(10);
      assertThat(d.classCounts()).doesNotContain(0);
    }
    assertThat(s.train().size()).isEqualTo(6000);
    assertThat(s.test().size()).isEqualTo(1000);
    assertThat(s.train().name()).isEqualTo("fashion-mnist-sample/train");
    // the counts the README documents
    assertThat(s.train().classCounts())
        .containsExactly(560, 643, 608, 612, 584, 594, 590, 617, 590, 602);
    assertThat(s.test().classCounts()).containsExactly(107, 105, 111, 93, 115, 87, 97, 95, 95, 95);
    // the first training image of Fashion-MNIST is an ankle boot
    assertThat(s.train().label(0)).isEqualTo(9);
    float max = 0;
    double sum = 0;
    for (float v : s.train().pixels()) {
      max = Math.max(max, v);
      sum += v;
    }
    assertThat(max).isEqualTo(1f);
    assertThat(sum / (6000 * 784)).isBetween(0.27, 0.30); // near the published mean 0.2860
  }

  @Test
  void bundledAndGeneratedDatasetsTakeNoPathAndUnknownNamesAreListed() {
    DatasetLocator loc = locator(Map.of(), dir);
    assertThatThrownBy(() -> loc.load("fashion-mnist-sample", dir, 0))
        .isInstanceOf(DatasetException.class)
        .hasMessage("dataset 'fashion-mnist-sample' takes no path, but data.path is " + dir);
    assertThatThrownBy(() -> loc.load("synthetic", dir, 0))
        .hasMessage("dataset 'synthetic' takes no path, but data.path is " + dir);
    assertThatThrownBy(() -> loc.load("imagenet", null, 0))
        .isInstanceOf(DatasetException.class)
        .hasMessage(
            "unknown dataset 'imagenet'; known: fashion-mnist-sample, fashion-mnist, mnist,"
                + " cifar10, synthetic");
  }

  @Test
  void theFullDebianFashionMnistLoadsWhenInstalled() throws Exception {
    assumeTrue(
        Files.isDirectory(DatasetLocator.DEBIAN_FASHION_MNIST),
        "dataset-fashion-mnist is not installed");
    TrainTestSplit s =
        new DatasetLocator(name -> null, DatasetLocator.DEBIAN_FASHION_MNIST)
            .load("fashion-mnist", null, 0);
    assertThat(s.train().size()).isEqualTo(60000);
    assertThat(s.test().size()).isEqualTo(10000);
    assertThat(s.train().classCounts()).containsOnly(6000);
    // the bundled sample is its first 6000 / 1000 images
    TrainTestSplit sample = DatasetLocator.loadSample();
    assertThat(s.train().head(6000).pixels()).isEqualTo(sample.train().pixels());
    assertThat(s.test().head(1000).labels()).containsExactly(sample.test().labels());
  }
}
