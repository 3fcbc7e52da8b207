package org.efqat.models.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;
import org.efqat.core.data.Dataset;
import org.efqat.core.data.DatasetProvider;
import org.efqat.core.data.InputFile;
import org.efqat.models.data.DatasetException;
import org.efqat.models.text.NounDefinition;
import org.efqat.models.text.WordNetNouns;

/**
 * Registers a sample of the WordNet noun supersense task bundled in this jar as {@code
 * wordnet-supersenses-sample}: {@value #SIZE} noun synsets of WordNet 3.0 drawn with a fixed seed
 * (see its README in the classpath folder {@code
 * org/efqat/models/data/wordnet-supersenses-sample/}, with WordNet's licence), one {@code
 * definition<TAB>lexfile} per line in {@value #FILE}. Tokenized and split like {@link
 * WordNetSupersensesProvider} (default 3600 training and 400 test examples, the split drawn from
 * {@code context.random("data.<name>")}).
 */
public final class WordNetSupersensesSampleProvider
    extends AbstractComponentProvider<Dataset, WordNetSampleConfig>
    implements DatasetProvider<WordNetSampleConfig> {
  /** The bundled file's name. */
  public static final String FILE = "definitions.tsv";

  /** The examples in the bundled file. */
  public static final int SIZE = 4000;

  /** Called by {@link java.util.ServiceLoader}. */
  public WordNetSupersensesSampleProvider() {
    super(
        "wordnet-supersenses-sample",
        WordNetSampleConfig.class,
        "4000 WordNet 3.0 noun definitions -> 26 supersenses, WordPiece ids, bundled with"
            + " efqat-models");
  }

  /**
   * @return the classpath resource of the sample
   */
  public String resource() {
    return FashionMnistSampleProvider.RESOURCE_ROOT + name() + "/" + FILE;
  }

  @Override
  public Dataset create(WordNetSampleConfig config, ComponentContext context) {
    return () -> {
      String resource = resource();
      List<NounDefinition> examples;
      InputFile file;
      try (InputStream in = open(resource)) {
        examples = WordNetNouns.read(in, "classpath:" + resource, true);
      }
      try (InputStream in = open(resource)) {
        file = InputFile.of("classpath:" + resource, in);
      }
      return WordNetSupersenses.build(
          name(), examples, file, config, context.random("data." + name()));
    };
  }

  private InputStream open(String resource) throws IOException {
    InputStream in =
        WordNetSupersensesSampleProvider.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) {
      throw new DatasetException(
          "classpath:"
              + resource
              + ": missing; the efqat-models jar on the classpath should hold the bundled "
              + name());
    }
    return in;
  }
}
