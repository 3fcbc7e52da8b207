package org.efqat.models.data;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The CIFAR-10 binary batches of one folder ({@link Cifar10Reader#TRAIN_FILES} and {@link
 * Cifar10Reader#TEST_FILES}), found in the folder itself or in its {@value #SUBFOLDER} subfolder
 * (the layout of the extracted archive).
 *
 * @param train the training batches, in order
 * @param test the test batches
 */
public record Cifar10Files(List<Path> train, List<Path> test) {
  /** The folder {@code cifar-10-binary.tar.gz} extracts to. */
  public static final String SUBFOLDER = "cifar-10-batches-bin";

  /** How to get the data, for messages. */
  public static final String HOW_TO_GET =
      "download the binary version (cifar-10-binary.tar.gz) from"
          + " https://www.cs.toronto.edu/~kriz/cifar.html and extract it";

  /** Copies the lists. */
  public Cifar10Files {
    train = List.copyOf(requireNonNull(train, "train is null"));
    test = List.copyOf(requireNonNull(test, "test is null"));
  }

  /**
   * Finds the batches.
   *
   * @param dataset the dataset's name, for messages
   * @param found the folder (or the folder holding {@value #SUBFOLDER})
   * @return the files
   * @throws DatasetException if one is missing, naming the folder, how it was found and the file
   */
  public static Cifar10Files find(String dataset, LocatedFolder found) throws DatasetException {
    Path folder = batchFolder(found.folder());
    List<Path> train = new ArrayList<>();
    for (String name : Cifar10Reader.TRAIN_FILES) {
      train.add(file(dataset, folder, found.origin(), name));
    }
    List<Path> test = new ArrayList<>();
    for (String name : Cifar10Reader.TEST_FILES) {
      test.add(file(dataset, folder, found.origin(), name));
    }
    return new Cifar10Files(train, test);
  }

  /**
   * Reads both splits, named {@code <dataset>/train} and {@code <dataset>/test}.
   *
   * @param dataset the dataset's name
   * @return 32x32x3 images, pixels in {@code [0, 1]}, 10 classes
   * @throws IOException if a file cannot be read or has the wrong size
   */
  public TrainTestSplit read(String dataset) throws IOException {
    return new TrainTestSplit(
        Cifar10Reader.read(dataset + "/train", train), Cifar10Reader.read(dataset + "/test", test));
  }

  /**
   * @return every batch file, training first
   */
  public List<Path> all() {
    List<Path> all = new ArrayList<>(train);
    all.addAll(test);
    return List.copyOf(all);
  }

  /** The folder itself, or its subfolder if only that holds the batches. */
  private static Path batchFolder(Path folder) {
    if (!Files.isRegularFile(folder.resolve(Cifar10Reader.TRAIN_FILES.get(0)))
        && Files.isDirectory(folder.resolve(SUBFOLDER))) {
      return folder.resolve(SUBFOLDER);
    }
    return folder;
  }

  private static Path file(String dataset, Path folder, String origin, String name)
      throws DatasetException {
    Path file = folder.resolve(name);
    if (!Files.isRegularFile(file)) {
      throw new DatasetException(
          dataset + ": folder " + folder + " (from " + origin + ") has no " + name);
    }
    return file;
  }
}
