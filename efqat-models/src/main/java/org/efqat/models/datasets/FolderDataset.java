package org.efqat.models.datasets;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.efqat.core.data.Dataset;
import org.efqat.core.data.InputFile;
import org.efqat.models.data.Augmentation;
import org.efqat.models.data.DatasetLocator;
import org.efqat.models.data.FolderSearch;
import org.efqat.models.data.IdxFiles;
import org.efqat.models.data.ImageDataSplit;
import org.efqat.models.data.LocatedFolder;
import org.efqat.models.data.Normalization;
import org.efqat.models.data.TrainTestSplit;

/**
 * A dataset read from a folder on {@link #load()}: locate the folder, read the format's files, hash
 * them for provenance. Training augmentation is {@link Augmentation#cropAndFlipFor} the image
 * height.
 */
final class FolderDataset implements Dataset {
  /** Reads one file format from a located folder. */
  @FunctionalInterface
  interface Format {
    /**
     * @param dataset the dataset's name, for messages and split names
     * @param folder the folder
     * @return the data and every file read
     * @throws IOException if a file is missing, unreadable or malformed
     */
    Read read(String dataset, LocatedFolder folder) throws IOException;
  }

  /**
   * What a {@link Format} read.
   *
   * @param split the data
   * @param files the files, in reading order
   */
  record Read(TrainTestSplit split, List<Path> files) {}

  /**
   * @param classes the class count
   * @return the format of the four IDX files of MNIST-style datasets ({@link IdxFiles})
   */
  static Format idx(int classes) {
    return (dataset, folder) -> {
      IdxFiles files = IdxFiles.find(dataset, folder);
      return new Read(files.read(dataset, classes), files.all());
    };
  }

  private final String name;
  private final FolderSearch search;
  private final Path path;
  private final DatasetLocator locator;
  private final Normalization normalization;
  private final Format format;

  FolderDataset(
      String name,
      FolderSearch search,
      Path path,
      DatasetLocator locator,
      Normalization normalization,
      Format format) {
    this.name = requireNonNull(name, "name is null");
    this.search = requireNonNull(search, "search is null");
    this.path = path;
    this.locator = requireNonNull(locator, "locator is null");
    this.normalization = requireNonNull(normalization, "normalization is null");
    this.format = requireNonNull(format, "format is null");
  }

  @Override
  public ImageDataSplit load() throws IOException {
    Read read = format.read(name, locator.locate(search, path));
    List<InputFile> inputs = new ArrayList<>();
    for (Path file : read.files()) {
      inputs.add(InputFile.of(file));
    }
    return new ImageDataSplit(
        name,
        read.split(),
        normalization,
        Augmentation.cropAndFlipFor(read.split().train().height()),
        inputs);
  }
}
