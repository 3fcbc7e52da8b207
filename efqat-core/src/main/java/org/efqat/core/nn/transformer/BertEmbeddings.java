package org.efqat.core.nn.transformer;

import java.util.Arrays;
import java.util.List;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;
import org.efqat.core.nn.Activation;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.Layer;
import org.efqat.core.nn.Parameter;
import org.efqat.core.nn.TensorCache;

/**
 * BERT's input embeddings without their LayerNorm: {@code e[b, l] = word[id[b, l]] + position[l] +
 * tokenType[0]} (one segment). Input: the token ids {@code [B, 1, L, 1]} (see {@link TokenBatch});
 * output {@code [B, 1, L, D]}. The ids have no gradient; the backward pass scatter-adds into the
 * three tables (see {@link EmbeddingTable}) and returns {@code null}.
 *
 * <p>Parameters {@code <name>.word_embeddings.weight [V, D]}, {@code
 * <name>.position_embeddings.weight [P, D]}, {@code <name>.token_type_embeddings.weight [T, D]}, as
 * in Hugging Face's {@code BertEmbeddings}.
 */
public final class BertEmbeddings implements Layer, TokenAware {
  private final String name;
  private final int dim;
  private final TensorCache cache;
  private final EmbeddingTable words;
  private final EmbeddingTable positions;
  private final EmbeddingTable tokenTypes;
  private TokenBatch tokens;
  private FeatureShape lastShape;

  /**
   * @param backend where it computes
   * @param name the checkpoint prefix, {@code embeddings}
   * @param vocabulary {@code V}
   * @param maxPositions {@code P}
   * @param tokenTypes {@code T}, at least 1
   * @param dim {@code D}
   * @param init the initial tables, in the order words, positions, token types
   */
  public BertEmbeddings(
      Backend backend,
      String name,
      int vocabulary,
      int maxPositions,
      int tokenTypes,
      int dim,
      List<float[]> init) {
    this.name = name;
    this.dim = dim;
    this.cache = new TensorCache(backend);
    this.words =
        new EmbeddingTable(name + ".word_embeddings.weight", vocabulary, dim, init.get(0), cache);
    this.positions =
        new EmbeddingTable(
            name + ".position_embeddings.weight", maxPositions, dim, init.get(1), cache);
    this.tokenTypes =
        new EmbeddingTable(
            name + ".token_type_embeddings.weight", tokenTypes, dim, init.get(2), cache);
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * @return {@code <name>.word_embeddings.weight [V, D]}
   */
  public Parameter wordEmbeddings() {
    return words.parameter();
  }

  /**
   * @return {@code <name>.position_embeddings.weight [P, D]}
   */
  public Parameter positionEmbeddings() {
    return positions.parameter();
  }

  /**
   * @return {@code <name>.token_type_embeddings.weight [T, D]}; the encoder uses row 0 only
   */
  public Parameter tokenTypeEmbeddings() {
    return tokenTypes.parameter();
  }

  @Override
  public void setTokens(TokenBatch tokens, Tensor keyMask) {
    this.tokens = tokens;
  }

  @Override
  public Activation forward(Activation input, boolean training) {
    if (tokens == null || tokens.positions() != input.shape().size()) {
      throw new IllegalStateException(name + ": no token batch for input " + input.shape());
    }
    TensorOps ops = cache.backend().ops();
    int n = tokens.positions();
    Tensor sum = cache.get("output", n, dim);
    words.lookup(tokens.ids(), sum);
    int[] position = new int[n];
    for (int i = 0; i < n; i++) {
      position[i] = i % tokens.length();
    }
    Tensor part = cache.get("part", n, dim);
    positions.lookup(position, part);
    ops.add(sum, part, sum);
    tokenTypes.lookup(new int[n], part);
    ops.add(sum, part, sum);
    lastShape = new FeatureShape(tokens.batch(), 1, tokens.length(), dim);
    return new Activation(sum, lastShape);
  }

  @Override
  public Activation backward(Activation gradOutput) {
    if (lastShape == null) {
      throw new IllegalStateException(name + ": backward without a forward pass");
    }
    Tensor dy = cache.backend().ops().reshape(gradOutput.tensor(), lastShape.matrix());
    words.accumulateGradient(dy);
    positions.accumulateGradient(dy);
    tokenTypes.accumulateGradient(dy);
    return null;
  }

  @Override
  public List<Parameter> parameters() {
    return List.of(words.parameter(), positions.parameter(), tokenTypes.parameter());
  }

  @Override
  public void release() {
    cache.release();
  }

  @Override
  public String toString() {
    return name + Arrays.toString(words.parameter().shape());
  }
}
