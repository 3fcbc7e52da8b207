package org.efqat.models.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;
import org.efqat.api.spi.NoOptions;
import org.efqat.core.data.Dataset;
import org.efqat.core.data.DatasetProvider;
import org.efqat.core.data.InputFile;
import org.efqat.models.data.Augmentation;
import org.efqat.models.data.DatasetException;
import org.efqat.models.data.IdxReader;
import org.efqat.models.data.ImageDataSplit;
import org.efqat.models.data.ImageDataset;
import org.efqat.models.data.TrainTestSplit;

/**
 * Registers the Fashion-MNIST sample bundled in this jar as {@code fashion-mnist-sample}: the first
 * 6000 training and the first 1000 test images of Fashion-MNIST, 28x28x1, 10 classes, as gzip IDX
 * files in the classpath folder {@value #RESOURCE_ROOT}{@code <name>/} (with their README and
 * license). It is normalized with {@link FashionMnistProvider#normalization()}, so that a model
 * trained on the sample sees the same input scale as one trained on the full set.
 */
public final class FashionMnistSampleProvider extends AbstractComponentProvider<Dataset, NoOptions>
    implements DatasetProvider<NoOptions> {
  /** The classpath folder holding one folder per bundled dataset, named as the dataset. */
  public static final String RESOURCE_ROOT = "org/efqat/models/data/";

  private static final List<String> FILES =
      List.of(
          "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
          "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");

  /** Called by {@link java.util.ServiceLoader}. */
  public FashionMnistSampleProvider() {
    super(
        "fashion-mnist-sample",
        NoOptions.class,
        "the first 6000/1000 Fashion-MNIST images, bundled with efqat-models"
            + " (28x28x1, 10 classes)");
  }

  @Override
  public Dataset create(NoOptions config, ComponentContext context) {
    return this::load;
  }

  /**
   * @return the classpath folder of the files, ending in {@code /}
   */
  public String resourceFolder() {
    return RESOURCE_ROOT + name() + "/";
  }

  private ImageDataSplit load() throws IOException {
    TrainTestSplit split =
        new TrainTestSplit(
            read(name() + "/train", FILES.get(0), FILES.get(1)),
            read(name() + "/test", FILES.get(2), FILES.get(3)));
    List<InputFile> inputs = new ArrayList<>();
    for (String file : FILES) {
      String resource = resourceFolder() + file;
      try (InputStream in = open(resource)) {
        inputs.add(InputFile.of("classpath:" + resource, in));
      }
    }
    return new ImageDataSplit(
        name(),
        split,
        FashionMnistProvider.normalization(),
        Augmentation.cropAndFlipFor(split.train().height()),
        inputs);
  }

  private ImageDataset read(String split, String imagesFile, String labelsFile) throws IOException {
    String images = resourceFolder() + imagesFile;
    String labels = resourceFolder() + labelsFile;
    try (InputStream imageIn = open(images);
        InputStream labelIn = open(labels)) {
      return IdxReader.read(
          split,
          imageIn,
          "classpath:" + images,
          labelIn,
          "classpath:" + labels,
          FashionMnistProvider.CLASSES);
    }
  }

  private InputStream open(String resource) throws DatasetException {
    InputStream in =
        FashionMnistSampleProvider.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) {
      throw new DatasetException(
          "classpath:"
              + resource
              + ": missing; the efqat-models jar on"
              + " the classpath should hold the bundled "
              + name());
    }
    return in;
  }
}
