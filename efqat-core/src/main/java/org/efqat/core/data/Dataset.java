package org.efqat.core.data;

import java.io.IOException;

/**
 * A dataset with its options bound. Creating it does no I/O; {@link #load()} reads (or generates)
 * the data.
 */
@FunctionalInterface
public interface Dataset {
  /**
   * Reads or generates the training and test splits.
   *
   * @return the data in memory
   * @throws IOException if a file cannot be read; format errors name the file and what was expected
   */
  LoadedDataset load() throws IOException;
}
