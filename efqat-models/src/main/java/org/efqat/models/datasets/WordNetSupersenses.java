package org.efqat.models.datasets;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.efqat.core.data.InputFile;
import org.efqat.models.text.NounDefinition;
import org.efqat.models.text.TextDataSplit;
import org.efqat.models.text.WordNetNouns;
import org.efqat.models.text.WordPieceTokenizer;

/**
 * Turns noun definitions into a tokenized, split {@link TextDataSplit}; shared by both providers.
 */
final class WordNetSupersenses {
  private WordNetSupersenses() {}

  /**
   * @param name the dataset's name
   * @param examples the examples, in source order
   * @param source the file they were read from
   * @param options maxLength and testFraction
   * @param random the stream of the split
   * @return the split, tokenized
   */
  static TextDataSplit build(
      String name,
      List<NounDefinition> examples,
      InputFile source,
      WordNetSampleConfig options,
      SplittableRandom random)
      throws IOException {
    List<String> texts = new ArrayList<>(examples.size());
    int[] labels = new int[examples.size()];
    for (int i = 0; i < labels.length; i++) {
      texts.add(examples.get(i).text());
      labels[i] = examples.get(i).label();
    }
    float[] ids;
    InputFile tokenizerFile;
    try (WordPieceTokenizer tokenizer = WordPieceTokenizer.minilm(options.maxLength())) {
      ids = tokenizer.encodeAll(texts);
      tokenizerFile = tokenizer.inputFile();
    }
    return TextDataSplit.split(
        name,
        options.maxLength(),
        WordNetNouns.CLASSES,
        ids,
        labels,
        options.testFraction(),
        random,
        List.of(source, tokenizerFile));
  }
}
