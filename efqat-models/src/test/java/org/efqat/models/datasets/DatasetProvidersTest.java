package org.efqat.models.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.efqat.api.spi.ComponentContext;
import org.efqat.api.spi.ConfigValueException;
import org.efqat.api.spi.NoOptions;
import org.efqat.core.data.DatasetProvider;
import org.efqat.core.data.InputFile;
import org.efqat.core.data.LoadedDataset;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.registry.ComponentKind;
import org.efqat.core.registry.NamedRegistry;
import org.efqat.models.data.ImageDataSplit;
import org.efqat.models.data.ImageDataset;
import org.efqat.models.data.Normalization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class DatasetProvidersTest {
  @Test
  void everyDatasetIsDiscoveredByName() {
    List<String> names = new ArrayList<>();
    for (DatasetProvider<?> p : ServiceLoader.load(DatasetProvider.class)) {
      names.add(p.name());
      assertThat(p.description()).isNotBlank();
    }
    assertThat(names)
        .containsExactlyInAnyOrder(
            "fashion-mnist-sample",
            "fashion-mnist",
            "mnist",
            "cifar10",
            "synthetic",
            "random-images",
            "wordnet-supersenses-sample",
            "wordnet-supersenses",
            "random-tokens");
    assertThat(NamedRegistry.load(ComponentKind.DATASET, getClass().getClassLoader()).names())
        .hasSize(9);
  }

  @Test
  void theBundledSampleLoadsWithItsFilesHashed() throws Exception {
    ImageDataSplit s =
        (ImageDataSplit)
            new FashionMnistSampleProvider()
                .create(new NoOptions(), ComponentContext.ofSeed(0))
                .load();
    assertThat(s.name()).isEqualTo("fashion-mnist-sample");
    assertThat(s.trainSize()).isEqualTo(6000);
    assertThat(s.testSize()).isEqualTo(1000);
    assertThat(s.sampleShape()).isEqualTo(new FeatureShape(1, 28, 28, 1));
    assertThat(s.classes()).isEqualTo(10);
    assertThat(s.split().train().name()).isEqualTo("fashion-mnist-sample/train");
    assertThat(s.normalization()).isEqualTo(FashionMnistProvider.normalization());
    assertThat(s.augmentation().pad()).isEqualTo(2);
    // the counts the README documents
    assertThat(s.split().train().classCounts())
        .containsExactly(560, 643, 608, 612, 584, 594, 590, 617, 590, 602);
    assertThat(s.split().test().classCounts())
        .containsExactly(107, 105, 111, 93, 115, 87, 97, 95, 95, 95);
    // the first training image of Fashion-MNIST is an ankle boot
    assertThat(s.split().train().label(0)).isEqualTo(9);
    String folder = "classpath:org/efqat/models/data/fashion-mnist-sample/";
    assertThat(s.inputFiles())
        .extracting(InputFile::name)
        .containsExactly(
            folder + "train-images-idx3-ubyte.gz", folder + "train-labels-idx1-ubyte.gz",
            folder + "t10k-images-idx3-ubyte.gz", folder + "t10k-labels-idx1-ubyte.gz");
    for (InputFile f : s.inputFiles()) {
      assertThat(f.sha256()).matches("[0-9a-f]{64}");
    }
    // as the README next to the files lists them
    assertThat(s.inputFiles())
        .extracting(InputFile::bytes)
        .containsExactly(2_606_780L, 3_087L, 440_055L, 524L);
    assertThat(s.inputFiles())
        .extracting(InputFile::sha256)
        .containsExactly(
            "e85b99f2bf5393124dee190a387c048f4c154aa9b9c7e2dbceb31bd7093803d1",
            "4cc97d9ce7525c35d43daae13dc7fecc09ddea72853fc55045e4715ece84e748",
            "1660693c6885f292e2f271cf0423e45bdc52e9109d9c59e659deaa70823c0886",
            "af7938be5719422e8517551bf2d75db4819f3cf74292f252f03a241bc5e2ba64");
    LoadedDataset cut = s.head(100, null);
    assertThat(cut.trainSize()).isEqualTo(100);
    assertThat(cut.testSize()).isEqualTo(1000);
    assertThat(cut.inputFiles()).isEqualTo(s.inputFiles());
  }

  /**
   * Golden numbers: {@code DatasetLocator.synthetic(42)} of commit 21a9219 (before datasets were
   * components), printed once by a throwaway test: the sums of all pixels as doubles, and the first
   * ten labels of each split.
   */
  @Test
  void syntheticIsGeneratedFromTheSeedAsBefore() throws Exception {
    SyntheticDatasetProvider provider = new SyntheticDatasetProvider();
    ImageDataSplit a =
        (ImageDataSplit) provider.create(new NoOptions(), ComponentContext.ofSeed(42)).load();
    assertThat(a.trainSize()).isEqualTo(4096);
    assertThat(a.testSize()).isEqualTo(1024);
    assertThat(a.sampleShape()).isEqualTo(new FeatureShape(1, 28, 28, 1));
    assertThat(a.split().train().name()).isEqualTo("synthetic/train");
    assertThat(a.normalization().isIdentity()).isTrue();
    assertThat(a.inputFiles()).isEmpty();
    assertThat(sum(a.split().train())).isEqualTo(1618420.888130451);
    assertThat(sum(a.split().test())).isEqualTo(404747.6366707273);
    assertThat(Arrays.copyOf(a.split().train().labels(), 10))
        .containsExactly(0, 1, 8, 5, 2, 2, 9, 8, 2, 8);
    assertThat(Arrays.copyOf(a.split().test().labels(), 10))
        .containsExactly(3, 4, 8, 8, 9, 7, 1, 3, 5, 1);
    ImageDataSplit other =
        (ImageDataSplit) provider.create(new NoOptions(), ComponentContext.ofSeed(43)).load();
    assertThat(other.split().train().pixels()).isNotEqualTo(a.split().train().pixels());
  }

  private static double sum(ImageDataset d) {
    double s = 0;
    for (float v : d.pixels()) {
      s += v;
    }
    return s;
  }

  @Test
  void randomImagesHaveTheShapeAsked() throws Exception {
    RandomImagesProvider provider = new RandomImagesProvider();
    RandomImagesConfig config = new RandomImagesConfig(5, 2, 3, 7);
    ImageDataSplit a = (ImageDataSplit) provider.create(config, ComponentContext.ofSeed(1)).load();
    assertThat(a.name()).isEqualTo("random-images");
    assertThat(a.sampleShape()).isEqualTo(new FeatureShape(1, 5, 5, 2));
    assertThat(a.classes()).isEqualTo(3);
    assertThat(a.trainSize()).isEqualTo(7);
    assertThat(a.testSize()).isEqualTo(7);
    assertThat(a.split().test()).isSameAs(a.split().train());
    assertThat(a.inputFiles()).isEmpty();
    assertThat(a.normalization()).isEqualTo(Normalization.NONE);
    float[] pixels = a.split().train().pixels();
    assertThat(pixels).hasSize(7 * 5 * 5 * 2);
    for (float v : pixels) {
      assertThat(v).isGreaterThanOrEqualTo(0f).isLessThan(1f);
    }
    for (int label : a.split().train().labels()) {
      assertThat(label).isBetween(0, 2);
    }
    ImageDataSplit same =
        (ImageDataSplit) provider.create(config, ComponentContext.ofSeed(1)).load();
    assertThat(same.split().train().pixels()).isEqualTo(pixels);
    ImageDataSplit other =
        (ImageDataSplit) provider.create(config, ComponentContext.ofSeed(2)).load();
    assertThat(other.split().train().pixels()).isNotEqualTo(pixels);

    RandomImagesConfig defaults = new RandomImagesConfig(null, null, null, null);
    assertThat(defaults).isEqualTo(new RandomImagesConfig(32, 3, 10, 128));
    LoadedDataset d = provider.create(defaults, ComponentContext.ofSeed(1)).load();
    assertThat(d.sampleShape()).isEqualTo(new FeatureShape(1, 32, 32, 3));
    assertThat(d.trainSize()).isEqualTo(128);
  }

  @Test
  void configErrorsNameTheKey() {
    assertKey(() -> new RandomImagesConfig(0, null, null, null), "side");
    assertKey(() -> new RandomImagesConfig(null, 0, null, null), "channels");
    assertKey(() -> new RandomImagesConfig(null, null, 0, null), "classes");
    assertKey(() -> new RandomImagesConfig(null, null, null, 0), "samples");
    assertKey(() -> new RandomImagesConfig(4096, 3, null, 1000), "samples");
    assertKey(() -> new FolderConfig(" "), "path");
    assertKey(() -> new FolderConfig("a\0b"), "path");
    assertThat(new FolderConfig(null).folder()).isNull();
  }

  private static void assertKey(Executable config, String key) {
    assertThatThrownBy(config::execute)
        .asInstanceOf(InstanceOfAssertFactories.type(ConfigValueException.class))
        .extracting(ConfigValueException::key)
        .isEqualTo(key);
  }
}
