package org.efqat.models.data;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The four IDX files of an MNIST-style dataset in one folder: {@code train-images-idx3-ubyte},
 * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte} and {@code
 * t10k-labels-idx1-ubyte}, each plain or with {@code .gz}; the spelling {@code
 * train-images.idx3-ubyte} is accepted too.
 *
 * @param trainImages the training images
 * @param trainLabels the training labels
 * @param testImages the test images
 * @param testLabels the test labels
 */
public record IdxFiles(Path trainImages, Path trainLabels, Path testImages, Path testLabels) {
  /** The files a folder needs, for messages. */
  public static final String DESCRIPTION =
      "train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz]"
          + " and t10k-labels-idx1-ubyte[.gz]";

  /** Validates. */
  public IdxFiles {
    requireNonNull(trainImages, "trainImages is null");
    requireNonNull(trainLabels, "trainLabels is null");
    requireNonNull(testImages, "testImages is null");
    requireNonNull(testLabels, "testLabels is null");
  }

  /**
   * Finds the four files.
   *
   * @param dataset the dataset's name, for messages
   * @param found the folder
   * @return the files
   * @throws DatasetException if one is missing, naming the folder, how it was found and the file
   */
  public static IdxFiles find(String dataset, LocatedFolder found) throws DatasetException {
    return new IdxFiles(
        file(dataset, found, "train-images", "idx3-ubyte"),
        file(dataset, found, "train-labels", "idx1-ubyte"),
        file(dataset, found, "t10k-images", "idx3-ubyte"),
        file(dataset, found, "t10k-labels", "idx1-ubyte"));
  }

  /**
   * Reads both splits, named {@code <dataset>/train} and {@code <dataset>/test}.
   *
   * @param dataset the dataset's name
   * @param classes the number of classes
   * @return the data, pixels in {@code [0, 1]}
   * @throws IOException if a file cannot be read or is not IDX
   */
  public TrainTestSplit read(String dataset, int classes) throws IOException {
    return new TrainTestSplit(
        IdxReader.read(dataset + "/train", trainImages, trainLabels, classes),
        IdxReader.read(dataset + "/test", testImages, testLabels, classes));
  }

  /**
   * @return the four files in the order of the components
   */
  public List<Path> all() {
    return List.of(trainImages, trainLabels, testImages, testLabels);
  }

  /** {@code stem-kind}, {@code stem-kind.gz}, {@code stem.kind} or {@code stem.kind.gz}. */
  private static Path file(String dataset, LocatedFolder found, String stem, String kind)
      throws DatasetException {
    String[] names = {
      stem + "-" + kind, stem + "-" + kind + ".gz", stem + "." + kind, stem + "." + kind + ".gz"
    };
    for (String name : names) {
      Path file = found.folder().resolve(name);
      if (Files.isRegularFile(file)) {
        return file;
      }
    }
    throw new DatasetException(
        dataset
            + ": folder "
            + found.folder()
            + " (from "
            + found.origin()
            + ") has neither "
            + names[0]
            + " nor "
            + names[1]);
  }
}
