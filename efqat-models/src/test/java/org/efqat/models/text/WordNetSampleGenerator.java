package org.efqat.models.text;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes the bundled {@code wordnet-supersenses-sample/definitions.tsv} from WordNet 3.0's {@code
 * data.noun}: {@value #SIZE} synsets drawn uniformly without replacement (a partial Fisher-Yates
 * shuffle of the synset indices with {@code new SplittableRandom(}{@value #SEED}{@code )}), written
 * in {@code data.noun} order as {@code definition<TAB>lexfile}.
 *
 * <p>Run from {@code efqat-models} after {@code mvn -o test-compile}: {@code java -cp
 * target/classes:target/test-classes:$(cat cp.txt) org.efqat.models.text.WordNetSampleGenerator
 * /usr/share/wordnet/data.noun
 * src/main/resources/org/efqat/models/data/wordnet-supersenses-sample/definitions.tsv} (with {@code
 * mvn -o dependency:build-classpath -Dmdep.outputFile=cp.txt}). {@code WordNetSupersensesTest}
 * checks that the committed file is what this writes, when {@code data.noun} is installed.
 */
public final class WordNetSampleGenerator {
  /** The seed of the draw. */
  public static final long SEED = 20_261_130L;

  /** The examples drawn. */
  public static final int SIZE = 4000;

  private WordNetSampleGenerator() {}

  /**
   * @param dataNoun WordNet's {@code data.noun}
   * @return the sample file's text
   * @throws IOException if {@code data.noun} cannot be read
   */
  public static String generate(Path dataNoun) throws IOException {
    List<NounDefinition> all = WordNetNouns.readDataFile(dataNoun);
    int[] order = new int[all.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(SEED);
    for (int i = 0; i < SIZE; i++) {
      int j = i + random.nextInt(order.length - i);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int[] chosen = Arrays.copyOf(order, SIZE);
    Arrays.sort(chosen);
    StringBuilder out = new StringBuilder();
    for (int index : chosen) {
      NounDefinition d = all.get(index);
      if (d.text().indexOf('\t') >= 0 || d.text().indexOf('\n') >= 0) {
        throw new IllegalStateException("definition " + index + " holds a tab or a newline");
      }
      out.append(d.text()).append('\t').append(String.format("%02d", d.lexfile())).append('\n');
    }
    return out.toString();
  }

  /**
   * @param args {@code data.noun} and the output file
   * @throws IOException if a file cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: WordNetSampleGenerator <data.noun> <definitions.tsv>");
      System.exit(2);
    }
    try (Writer w = Files.newBufferedWriter(Path.of(args[1]), StandardCharsets.UTF_8)) {
      w.write(generate(Path.of(args[0])));
    }
  }
}
