package org.efqat.models.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.efqat.api.spi.ComponentContext;
import org.efqat.api.spi.ConfigValueException;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.train.Batches;
import org.efqat.models.data.DatasetException;
import org.efqat.models.data.DatasetLocator;
import org.efqat.models.text.TextDataSplit;
import org.efqat.models.text.WordNetSampleGenerator;
import org.efqat.models.text.WordPieceTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wordnet-supersenses-sample} and {@code wordnet-supersenses}. */
class WordNetSupersensesTest {
  private static final Path DEBIAN_DATA = Path.of("/usr/share/wordnet/data.noun");

  /** Two noun synsets in data.noun's form. */
  private static final String DATA =
      "  1 licence header\n"
          + "00001740 03 n 01 entity 0 000 | that which is perceived; \"an example\"  \n"
          + "02084071 05 n 01 dog 0 000 | a member of the genus Canis  \n";

  @TempDir Path dir;

  private static TextDataSplit sample(long seed) throws IOException {
    return (TextDataSplit)
        new WordNetSupersensesSampleProvider()
            .create(new WordNetSampleConfig(null, null), ComponentContext.ofSeed(seed))
            .load();
  }

  private TextDataSplit full(Map<String, String> env, Path debian, String path) throws IOException {
    return (TextDataSplit)
        new WordNetSupersensesProvider(new DatasetLocator(env::get), debian)
            .create(new WordNetConfig(path, 8, 0.5), ComponentContext.ofSeed(0))
            .load();
  }

  @Test
  void theBundledSampleLoads() throws IOException {
    TextDataSplit s = sample(0);
    assertThat(s.name()).isEqualTo("wordnet-supersenses-sample");
    assertThat(s.trainSize()).isEqualTo(3600);
    assertThat(s.testSize()).isEqualTo(400);
    assertThat(s.classes()).isEqualTo(26);
    assertThat(s.sampleShape()).isEqualTo(new FeatureShape(1, 1, 32, 1));
    assertThat(s.inputFiles())
        .extracting(f -> f.name())
        .containsExactly(
            "classpath:org/efqat/models/data/wordnet-supersenses-sample/definitions.tsv",
            "classpath:" + WordPieceTokenizer.RESOURCE);
    int[] counts = new int[26];
    for (int label : s.trainLabels()) {
      counts[label]++;
    }
    for (int label : s.testLabels()) {
      counts[label]++;
    }
    // The class counts of the sample (generator seed 20261130): noun.artifact (3) the largest,
    // 576 of 4000 = 14.4%, noun.person 524, noun.Tops 2, noun.motive 5.
    assertThat(counts)
        .containsExactly(
            2, 337, 381, 576, 168, 102, 144, 256, 57, 19, 122, 129, 156, 5, 72, 524, 34, 391, 43,
            41, 63, 15, 12, 161, 144, 46);
    float[] ids = s.trainIds();
    for (int i = 0; i < s.trainSize(); i++) {
      assertThat(ids[i * 32]).isEqualTo(101f); // [CLS]
    }
  }

  @Test
  void theSplitIsSeeded() throws IOException {
    TextDataSplit a = sample(7);
    TextDataSplit b = sample(7);
    TextDataSplit c = sample(8);
    assertThat(a.testLabels()).isEqualTo(b.testLabels());
    assertThat(a.testIds()).isEqualTo(b.testIds());
    assertThat(a.trainIds()).isEqualTo(b.trainIds());
    assertThat(a.testIds()).isNotEqualTo(c.testIds());
  }

  @Test
  void batchesAreTokenIdsAndAugmentationIsRefused() throws IOException {
    TextDataSplit s = sample(0).head(10, 5);
    Batches test = s.testBatches(4);
    test.startEpoch(0);
    float[] x = new float[4 * 32];
    int[] y = new int[4];
    assertThat(test.next(x, y)).isEqualTo(4);
    assertThat(x[0]).isEqualTo(101f);
    assertThat(java.util.Arrays.copyOf(s.testIds(), 4 * 32)).isEqualTo(x);
    assertThat(s.trainBatches(4, new java.util.SplittableRandom(1), false).samplesPerEpoch())
        .isEqualTo(10);
    assertThatThrownBy(() -> s.trainBatches(4, new java.util.SplittableRandom(1), true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "wordnet-supersenses-sample: text datasets have no augmentation; set data.augment:"
                + " false");
  }

  /**
   * Multinomial naive Bayes over bags of token ids (Laplace smoothing), trained on the sample's
   * training split: the task is learnable from the sample.
   */
  @Test
  void naiveBayesBeatsTheMajorityClass() throws IOException {
    TextDataSplit s = sample(0);
    int l = s.maxLength();
    int v = WordPieceTokenizer.VOCABULARY;
    double[][] tokenCounts = new double[26][v];
    double[] totals = new double[26];
    int[] docs = new int[26];
    float[] ids = s.trainIds();
    int[] labels = s.trainLabels();
    for (int i = 0; i < labels.length; i++) {
      docs[labels[i]]++;
      for (int j = 1; j < l && ids[i * l + j] > 102; j++) {
        tokenCounts[labels[i]][(int) ids[i * l + j]]++;
        totals[labels[i]]++;
      }
    }
    float[] testIds = s.testIds();
    int[] testLabels = s.testLabels();
    int correct = 0;
    int majority = 0;
    for (int k = 1; k < 26; k++) {
      majority = docs[k] > docs[majority] ? k : majority;
    }
    int majorityCorrect = 0;
    for (int i = 0; i < testLabels.length; i++) {
      int best = 0;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < 26; k++) {
        double score = Math.log(docs[k] + 1.0);
        for (int j = 1; j < l && testIds[i * l + j] > 102; j++) {
          score += Math.log((tokenCounts[k][(int) testIds[i * l + j]] + 1) / (totals[k] + v));
        }
        if (score > bestScore) {
          bestScore = score;
          best = k;
        }
      }
      correct += best == testLabels[i] ? 1 : 0;
      majorityCorrect += majority == testLabels[i] ? 1 : 0;
    }
    double accuracy = (double) correct / testLabels.length;
    double baseline = (double) majorityCorrect / testLabels.length;
    System.out.printf(
        "wordnet-supersenses-sample naive Bayes: %.1f%% (majority class %.1f%%)%n",
        100 * accuracy, 100 * baseline);
    assertThat(accuracy).isGreaterThan(0.40).isGreaterThan(baseline + 0.2);
  }

  @Test
  void configValuesAreChecked() {
    assertThatThrownBy(() -> new WordNetSampleConfig(2, null))
        .isInstanceOf(ConfigValueException.class)
        .hasMessageContaining("maxLength");
    assertThatThrownBy(() -> new WordNetConfig(null, null, 1.0))
        .isInstanceOf(ConfigValueException.class)
        .hasMessageContaining("testFraction");
    assertThatThrownBy(() -> new WordNetConfig(" ", null, null))
        .isInstanceOf(ConfigValueException.class)
        .hasMessageContaining("path");
    WordNetConfig defaults = new WordNetConfig(null, null, null);
    assertThat(defaults.maxLength()).isEqualTo(32);
    assertThat(defaults.testFraction()).isEqualTo(0.1);
  }

  @Test
  void readsAFolderFromPathEnvironmentOrDebianFolder() throws IOException {
    Path folder = Files.createDirectory(dir.resolve("wn"));
    Files.writeString(folder.resolve("data.noun"), DATA, StandardCharsets.UTF_8);
    TextDataSplit fromPath = full(Map.of(), dir.resolve("none"), folder.toString());
    assertThat(fromPath.trainSize() + fromPath.testSize()).isEqualTo(2);
    assertThat(fromPath.sampleShape()).isEqualTo(new FeatureShape(1, 1, 8, 1));
    assertThat(fromPath.inputFiles().get(0).name())
        .isEqualTo(folder.resolve("data.noun").toAbsolutePath().toString());
    Map<String, String> env = new HashMap<>();
    env.put("EFQAT_WORDNET", folder.toString());
    assertThat(full(env, dir.resolve("none"), null).testSize()).isEqualTo(1);
    assertThat(full(Map.of(), folder, null).testSize()).isEqualTo(1);
  }

  @Test
  void aNamedPlaceIsNeverSkipped() throws IOException {
    Path good = Files.createDirectory(dir.resolve("good"));
    Files.writeString(good.resolve("data.noun"), DATA, StandardCharsets.UTF_8);
    Path empty = Files.createDirectory(dir.resolve("empty"));
    Path other = Files.createDirectory(dir.resolve("other"));
    Files.writeString(other.resolve("index.noun"), "x", StandardCharsets.UTF_8);
    Path file = Files.writeString(dir.resolve("file"), "x");
    Path missing = dir.resolve("missing");
    assertThatThrownBy(() -> full(Map.of(), good, missing.toString()))
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith(
            "wordnet-supersenses: data.dataset.path " + missing + " is missing (no such folder)");
    assertThatThrownBy(() -> full(Map.of(), good, file.toString()))
        .hasMessageStartingWith(
            "wordnet-supersenses: data.dataset.path " + file + " is a file, not a folder");
    assertThatThrownBy(() -> full(Map.of(), good, empty.toString()))
        .hasMessageStartingWith(
            "wordnet-supersenses: data.dataset.path " + empty + " is an empty folder");
    assertThatThrownBy(() -> full(Map.of("EFQAT_WORDNET", missing.toString()), good, null))
        .hasMessageStartingWith("wordnet-supersenses: $EFQAT_WORDNET=" + missing + " is missing");
    assertThatThrownBy(() -> full(Map.of(), good, other.toString()))
        .hasMessageStartingWith(
            "wordnet-supersenses: " + other.resolve("data.noun") + " is missing (folder from");
    assertThatThrownBy(() -> full(Map.of(), missing, null))
        .hasMessageStartingWith("wordnet-supersenses not found: tried data.dataset.path")
        .hasMessageContaining("apt-get install wordnet-base");
  }

  /** Reads the whole of WordNet when Debian's wordnet-base is installed (skipped otherwise). */
  @Test
  void theFullDataWhenInstalled() throws IOException {
    assumeTrue(Files.isRegularFile(DEBIAN_DATA), "wordnet-base is not installed");
    TextDataSplit s =
        (TextDataSplit)
            new WordNetSupersensesProvider(
                    new DatasetLocator(k -> null), WordNetSupersensesProvider.DEBIAN_FOLDER)
                .create(new WordNetConfig(null, null, null), ComponentContext.ofSeed(0))
                .load();
    assertThat(s.trainSize() + s.testSize()).isEqualTo(82_115);
    assertThat(s.testSize()).isEqualTo(8212);
    int[] counts = new int[26];
    for (int label : s.trainLabels()) {
      counts[label]++;
    }
    for (int label : s.testLabels()) {
      counts[label]++;
    }
    assertThat(counts[3]).isEqualTo(11_587); // noun.artifact, 14.1%
    assertThat(counts[15]).isEqualTo(11_087); // noun.person
  }

  /** The committed sample is what the generator writes from data.noun (skipped without it). */
  @Test
  void theGeneratorReproducesTheBundledSample() throws IOException {
    assumeTrue(Files.isRegularFile(DEBIAN_DATA), "wordnet-base is not installed");
    String resource = new WordNetSupersensesSampleProvider().resource();
    String bundled;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
      bundled = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(WordNetSampleGenerator.generate(DEBIAN_DATA)).isEqualTo(bundled);
  }
}
