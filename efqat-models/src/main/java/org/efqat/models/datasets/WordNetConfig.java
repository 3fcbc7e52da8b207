package org.efqat.models.datasets;

import java.nio.file.Path;

/**
 * Options of {@code wordnet-supersenses}.
 *
 * @param path the folder holding WordNet 3.0's {@code data.noun}; default none: {@code
 *     $EFQAT_WORDNET}, then the Debian package folder {@code /usr/share/wordnet}
 * @param maxLength WordPiece ids per definition, including {@code [CLS]} and {@code [SEP]}; 3..512,
 *     default {@value WordNetSampleConfig#DEFAULT_MAX_LENGTH}
 * @param testFraction the share of examples in the test split, in {@code (0, 1)}, default {@value
 *     WordNetSampleConfig#DEFAULT_TEST_FRACTION}
 */
public record WordNetConfig(String path, Integer maxLength, Double testFraction) {
  /** Validates and applies the defaults. */
  public WordNetConfig {
    path = new FolderConfig(path).path();
    WordNetSampleConfig options = new WordNetSampleConfig(maxLength, testFraction);
    maxLength = options.maxLength();
    testFraction = options.testFraction();
  }

  /**
   * @return {@link #path()} as a path, or {@code null} when not given
   */
  public Path folder() {
    return path == null ? null : Path.of(path);
  }
}
