package org.efqat.models.datasets;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;
import org.efqat.core.data.Dataset;
import org.efqat.core.data.DatasetProvider;
import org.efqat.core.data.InputFile;
import org.efqat.models.data.DatasetException;
import org.efqat.models.data.DatasetLocator;
import org.efqat.models.data.FolderSearch;
import org.efqat.models.data.LocatedFolder;
import org.efqat.models.text.NounDefinition;
import org.efqat.models.text.WordNetNouns;

/**
 * Registers the WordNet 3.0 noun supersense task as {@code wordnet-supersenses}: every noun synset
 * of {@code data.noun} (82,115), its input the definition part of its gloss, its label its
 * lexicographer file ({@link WordNetNouns#SUPERSENSES}, 26 classes; the largest, {@code
 * noun.artifact}, is 14.1%). The folder holding {@code data.noun} is {@code path}, else {@code
 * $}{@value #VARIABLE}, else the Debian package's folder {@link #DEBIAN_FOLDER} ({@code apt-get
 * install wordnet-base}); a place that is named is never skipped ({@link DatasetLocator}).
 *
 * <p>Samples are {@code [1, 1, maxLength, 1]} WordPiece ids as floats ({@link
 * org.efqat.models.text.TextDataSplit}). The train/test split is a permutation drawn from {@code
 * context.random("data.<name>")}: the first {@code round(n · testFraction)} examples (default 10%)
 * are the test split, so it depends on the run's seed. {@code inputFiles()} lists {@code data.noun}
 * and the {@code tokenizer.json}.
 */
public final class WordNetSupersensesProvider
    extends AbstractComponentProvider<Dataset, WordNetConfig>
    implements DatasetProvider<WordNetConfig> {
  /** The environment variable naming the folder. */
  public static final String VARIABLE = "EFQAT_WORDNET";

  /** Where the Debian package {@code wordnet-base} puts the database files. */
  public static final Path DEBIAN_FOLDER = Path.of("/usr/share/wordnet");

  private final DatasetLocator locator;
  private final Path debianFolder;

  /**
   * Called by {@link java.util.ServiceLoader}: the process environment and {@link #DEBIAN_FOLDER}.
   */
  public WordNetSupersensesProvider() {
    this(DatasetLocator.system(), DEBIAN_FOLDER);
  }

  /**
   * @param locator the environment to search
   * @param debianFolder the folder tried last, normally {@link #DEBIAN_FOLDER}
   */
  public WordNetSupersensesProvider(DatasetLocator locator, Path debianFolder) {
    super(
        "wordnet-supersenses",
        WordNetConfig.class,
        "WordNet 3.0 noun definitions -> 26 supersenses (82,115 examples), WordPiece ids, from"
            + " data.noun (path, $"
            + VARIABLE
            + " or the Debian package wordnet-base)");
    this.locator = requireNonNull(locator, "locator is null");
    this.debianFolder = requireNonNull(debianFolder, "debianFolder is null");
  }

  @Override
  public Dataset create(WordNetConfig config, ComponentContext context) {
    FolderSearch search =
        FolderSearch.of(
                name(),
                VARIABLE,
                "install it with 'apt-get install wordnet-base', or set "
                    + DatasetLocator.PATH_KEY
                    + " or "
                    + VARIABLE
                    + " to a folder holding WordNet 3.0's "
                    + WordNetNouns.DATA_FILE)
            .withStandardFolder(debianFolder, "the Debian package folder");
    WordNetSampleConfig options =
        new WordNetSampleConfig(config.maxLength(), config.testFraction());
    return () -> {
      LocatedFolder folder = locator.locate(search, config.folder());
      Path file = folder.folder().resolve(WordNetNouns.DATA_FILE);
      if (!Files.isRegularFile(file)) {
        throw new DatasetException(
            name()
                + ": "
                + file
                + " is missing (folder from "
                + folder.origin()
                + "); expected WordNet 3.0's "
                + WordNetNouns.DATA_FILE
                + " there");
      }
      List<NounDefinition> examples = WordNetNouns.readDataFile(file);
      return WordNetSupersenses.build(
          name(), examples, InputFile.of(file), options, context.random("data." + name()));
    };
  }
}
