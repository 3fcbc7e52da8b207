package org.efqat.models.text.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.efqat.core.checkpoint.NamedTensor;
import org.efqat.models.text.WordPieceTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ONNX Runtime's outputs of all-MiniLM-L6-v2 for three sentences tokenized by the project's {@link
 * WordPieceTokenizer} (16 ids each): the reference the Java encoder will be compared with.
 *
 * <p>{@link #embeddingsMatchTheMappedWeights} checks the first sub-step of the model only: {@code
 * LayerNorm(word[id] + position[l] + tokenType[0])}, computed here in plain Java from the imported
 * {@code embeddings.*} tensors with the imported epsilon, against the graph's own value (the output
 * of the Add that consumes {@code embeddings.LayerNorm.bias}, exposed as an extra graph output). It
 * proves the names and layout of the five embedding tensors (of the token-type table only row 0,
 * the one all inputs use) and the epsilon; the encoder layers' mapping is left to the comparison
 * with the Java encoder. Tolerance 1e-4 absolute: FP32 sums of 384 terms of magnitude about 1 (ONNX
 * Runtime may fuse the decomposed LayerNorm and sum in another order; 2e-6 was observed with ONNX
 * Runtime 1.29.0), far below the gap a wrong table or row would give (order 0.1 to 1); even the
 * epsilon shows: 1e-5 instead of 1e-12 gives 0.017, 1e-7 gives 1.7e-4.
 */
class MiniLmOrtReferenceTest {
  private static final List<String> SENTENCES =
      List.of(
          "a dog",
          "The quick brown fox jumps over the lazy dog.",
          "Quantization-aware training runs on the JVM!");
  private static final int LENGTH = 16;
  private static final int HIDDEN = 384;

  private static long[][] ids;
  private static long[][] mask;

  @BeforeAll
  static void tokenize() throws Exception {
    ids = new long[SENTENCES.size()][LENGTH];
    mask = new long[SENTENCES.size()][LENGTH];
    try (WordPieceTokenizer tokenizer = WordPieceTokenizer.minilm(LENGTH)) {
      for (int b = 0; b < SENTENCES.size(); b++) {
        int[] row = tokenizer.encode(SENTENCES.get(b));
        for (int l = 0; l < LENGTH; l++) {
          ids[b][l] = row[l];
          mask[b][l] = row[l] == WordPieceTokenizer.PAD_ID ? 0 : 1;
        }
      }
    }
  }

  @AfterAll
  static void release() {
    ids = null;
    mask = null;
  }

  @Test
  void lastHiddenStateOfThreeSentences() throws Exception {
    NamedTensor out;
    try (OrtReference ort = OrtReference.open(MiniLmOnnx.model().proto())) {
      assertThat(ort.inputNames()).containsExactly("input_ids", "attention_mask", "token_type_ids");
      out = ort.lastHiddenState(ids, mask);
    }

    assertThat(out.shape()).containsExactly(SENTENCES.size(), LENGTH, HIDDEN);
    for (float v : out.data()) {
      assertThat(Float.isFinite(v)).isTrue();
    }
    for (int a = 0; a < SENTENCES.size(); a++) {
      for (int b = a + 1; b < SENTENCES.size(); b++) {
        assertThat(maxAbsDiff(out.data(), a * LENGTH * HIDDEN, b * LENGTH * HIDDEN, HIDDEN))
            .as("[CLS] of sentences %d and %d", a, b)
            .isGreaterThan(0.05);
      }
    }
  }

  @Test
  void embeddingsMatchTheMappedWeights() throws Exception {
    OnnxModel model = MiniLmOnnx.model();
    String embeddingsOut = model.graph().consumers("embeddings.LayerNorm.bias").get(0).getOutput(0);
    NamedTensor ort;
    try (OrtReference session =
        OrtReference.open(OrtReference.withOutput(model.proto(), embeddingsOut))) {
      ort = session.run(ids, mask, embeddingsOut).get(embeddingsOut);
    }
    assertThat(ort.shape()).containsExactly(SENTENCES.size(), LENGTH, HIDDEN);

    float[] java = embeddings(MiniLmOnnx.weights(), ids);
    double worst = 0;
    for (int i = 0; i < java.length; i++) {
      worst = Math.max(worst, Math.abs(java[i] - ort.data()[i]));
    }
    assertThat(worst).as("max |java - ort|").isLessThanOrEqualTo(1e-4);
  }

  /**
   * BERT's embeddings with token type 0: {@code LayerNorm(word[id] + position[l] + type[0])}, the
   * LayerNorm over the last axis with the biased variance.
   *
   * @return FP32 {@code [batch, sequence, hidden]}
   */
  private static float[] embeddings(BertOnnxWeights w, long[][] ids) {
    int hidden = w.config().hidden();
    float[] word = w.get("embeddings.word_embeddings.weight").data();
    float[] position = w.get("embeddings.position_embeddings.weight").data();
    float[] type = w.get("embeddings.token_type_embeddings.weight").data();
    float[] gamma = w.get("embeddings.LayerNorm.weight").data();
    float[] beta = w.get("embeddings.LayerNorm.bias").data();
    int length = ids[0].length;
    float[] out = new float[ids.length * length * hidden];
    double[] x = new double[hidden];
    for (int b = 0; b < ids.length; b++) {
      for (int l = 0; l < length; l++) {
        int id = (int) ids[b][l];
        double mean = 0;
        for (int h = 0; h < hidden; h++) {
          x[h] = word[id * hidden + h] + position[l * hidden + h] + type[h];
          mean += x[h];
        }
        mean /= hidden;
        double var = 0;
        for (int h = 0; h < hidden; h++) {
          var += (x[h] - mean) * (x[h] - mean);
        }
        var /= hidden;
        double inv = 1 / Math.sqrt(var + w.config().layerNormEps());
        int base = (b * length + l) * hidden;
        for (int h = 0; h < hidden; h++) {
          out[base + h] = (float) ((x[h] - mean) * inv * gamma[h] + beta[h]);
        }
      }
    }
    return out;
  }

  private static double maxAbsDiff(float[] a, int offsetA, int offsetB, int n) {
    double worst = 0;
    for (int i = 0; i < n; i++) {
      worst = Math.max(worst, Math.abs(a[offsetA + i] - a[offsetB + i]));
    }
    return worst;
  }
}
