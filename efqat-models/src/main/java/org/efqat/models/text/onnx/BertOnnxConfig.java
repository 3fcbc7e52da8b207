package org.efqat.models.text.onnx;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hyper-parameters of a BERT encoder as read from an ONNX file's tensors and graph. For
 * all-MiniLM-L6-v2: 6 layers, hidden 384, 12 heads of 32, FFN 1536, vocabulary 30,522, 512
 * positions, 2 token types, LayerNorm epsilon 1e-12.
 *
 * @param layers the number of encoder layers ({@code encoder.layer.<i>}), {@code >= 1}
 * @param hidden the model width (embedding and residual stream), {@code >= 1}
 * @param heads the attention heads per layer; divides {@code hidden}
 * @param intermediate the feed-forward width ({@code intermediate.dense} outputs), {@code >= 1}
 * @param vocabulary rows of {@code embeddings.word_embeddings.weight}
 * @param maxPositions rows of {@code embeddings.position_embeddings.weight}: the longest sequence
 * @param typeVocabulary rows of {@code embeddings.token_type_embeddings.weight}
 * @param layerNormEps the epsilon added to the variance in every LayerNorm, {@code > 0}; the FP32
 *     constant of the file, widened through its decimal form (so {@code 1e-12f} becomes {@code
 *     1e-12})
 */
public record BertOnnxConfig(
    int layers,
    int hidden,
    int heads,
    int intermediate,
    int vocabulary,
    int maxPositions,
    int typeVocabulary,
    double layerNormEps) {
  /** Checks that every size is positive, {@code heads} divides {@code hidden} and eps is > 0. */
  public BertOnnxConfig {
    positive("layers", layers);
    positive("hidden", hidden);
    positive("heads", heads);
    positive("intermediate", intermediate);
    positive("vocabulary", vocabulary);
    positive("maxPositions", maxPositions);
    positive("typeVocabulary", typeVocabulary);
    if (hidden % heads != 0) {
      throw new IllegalArgumentException(
          "heads (" + heads + ") must divide hidden (" + hidden + ")");
    }
    if (!(layerNormEps > 0) || Double.isInfinite(layerNormEps)) {
      throw new IllegalArgumentException(
          "layerNormEps must be > 0 and finite (was " + layerNormEps + ")");
    }
  }

  /**
   * @return the width of one head, {@code hidden / heads} (32 for MiniLM)
   */
  public int headDim() {
    return hidden / heads;
  }

  /**
   * @param k the number of layers to keep
   * @return this config with {@code layers = k}
   */
  public BertOnnxConfig withLayers(int k) {
    return new BertOnnxConfig(
        k, hidden, heads, intermediate, vocabulary, maxPositions, typeVocabulary, layerNormEps);
  }

  /**
   * The tensors of Hugging Face's {@code BertModel} without its pooler, in {@code state_dict}
   * order, with PyTorch's shapes: {@code nn.Linear} weights are {@code [out, in]}, embeddings
   * {@code [rows, hidden]}, biases and LayerNorm parameters {@code [width]}.
   *
   * @return name to shape, unmodifiable, for example {@code encoder.layer.0.intermediate.dense
   *     .weight -> [1536, 384]}
   */
  public Map<String, long[]> stateDictShapes() {
    Map<String, long[]> m = new LinkedHashMap<>();
    m.put("embeddings.word_embeddings.weight", new long[] {vocabulary, hidden});
    m.put("embeddings.position_embeddings.weight", new long[] {maxPositions, hidden});
    m.put("embeddings.token_type_embeddings.weight", new long[] {typeVocabulary, hidden});
    m.put("embeddings.LayerNorm.weight", new long[] {hidden});
    m.put("embeddings.LayerNorm.bias", new long[] {hidden});
    for (int i = 0; i < layers; i++) {
      String p = "encoder.layer." + i + ".";
      for (String linear :
          new String[] {
            "attention.self.query", "attention.self.key", "attention.self.value",
          }) {
        m.put(p + linear + ".weight", new long[] {hidden, hidden});
        m.put(p + linear + ".bias", new long[] {hidden});
      }
      m.put(p + "attention.output.dense.weight", new long[] {hidden, hidden});
      m.put(p + "attention.output.dense.bias", new long[] {hidden});
      m.put(p + "attention.output.LayerNorm.weight", new long[] {hidden});
      m.put(p + "attention.output.LayerNorm.bias", new long[] {hidden});
      m.put(p + "intermediate.dense.weight", new long[] {intermediate, hidden});
      m.put(p + "intermediate.dense.bias", new long[] {intermediate});
      m.put(p + "output.dense.weight", new long[] {hidden, intermediate});
      m.put(p + "output.dense.bias", new long[] {hidden});
      m.put(p + "output.LayerNorm.weight", new long[] {hidden});
      m.put(p + "output.LayerNorm.bias", new long[] {hidden});
    }
    return Collections.unmodifiableMap(m);
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be >= 1 (was " + value + ")");
    }
  }
}
