package org.efqat.models.bert;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.efqat.api.backend.Backend;
import org.efqat.core.model.ModelArchitecture;
import org.efqat.core.nn.Dropout;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.Gelu;
import org.efqat.core.nn.Layer;
import org.efqat.core.nn.LayerNorm;
import org.efqat.core.nn.Linear;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.Parameter;
import org.efqat.core.nn.Sequential;
import org.efqat.core.nn.transformer.BertEmbeddings;
import org.efqat.core.nn.transformer.PostNormResidual;
import org.efqat.core.nn.transformer.SelfAttention;
import org.efqat.core.nn.transformer.TokenPooling;
import org.efqat.core.nn.transformer.TransformerEncoder;

/**
 * A BERT-style encoder with a classification head, for token-id samples {@code [1, 1, L, 1]}:
 *
 * <pre>
 *   embeddings (word + position + token type) → LayerNorm → dropout
 *   × layers:  x = LayerNorm(x + dropout(attention.output.dense(SelfAttention(x))))
 *              x = LayerNorm(x + dropout(output.dense(GELU(intermediate.dense(x)))))
 *   pooling (first token or mean over tokens) → dropout → classifier
 * </pre>
 *
 * Parameter names are Hugging Face's {@code BertModel} names without a prefix ({@code
 * embeddings.word_embeddings.weight}, {@code encoder.layer.0.attention.self.query.weight}, {@code
 * encoder.layer.0.intermediate.dense.weight}, ...) plus {@code classifier.weight}, so the weights
 * of all-MiniLM-L6-v2 load by name. Every Linear — six per layer and the classifier — is a
 * quantizable weight layer that EfQAT freezes by rows. With {@code quantizeAttention}, PTQ also
 * quantizes the operands of each attention's two matmuls ({@link SelfAttention}).
 *
 * <p>Initialization (BERT's): weights and embeddings normal with σ = 0.02 drawn from the init
 * stream in parameter order, the padding row (id 0) of the word embeddings zero, biases zero,
 * LayerNorm γ = 1 and β = 0. Pretrained weights, when given, then replace every encoder parameter
 * by name; the classifier keeps its initialization.
 */
public final class BertEncoder implements ModelArchitecture {
  private static final double INIT_STD = 0.02;

  private final String name;
  private final BertDimensions dims;
  private final float dropout;
  private final float attentionDropout;
  private final TokenPooling.Mode pooling;
  private final boolean quantizeAttention;
  private final Supplier<Map<String, float[]>> pretrained;

  /**
   * @param name the architecture's name
   * @param dims the sizes
   * @param dropout hidden dropout
   * @param attentionDropout attention-probability dropout
   * @param pooling first token or mean
   * @param quantizeAttention whether attention's two matmuls get quantized operands (see {@link
   *     SelfAttention})
   * @param pretrained the encoder's weights by parameter name (PyTorch layout, {@code [out, in]}
   *     for Linear weights), read when a network is built; {@code null} for none
   */
  public BertEncoder(
      String name,
      BertDimensions dims,
      float dropout,
      float attentionDropout,
      TokenPooling.Mode pooling,
      boolean quantizeAttention,
      Supplier<Map<String, float[]>> pretrained) {
    this.name = requireNonNull(name, "name is null");
    this.dims = requireNonNull(dims, "dims is null");
    this.dropout = dropout;
    this.attentionDropout = attentionDropout;
    this.pooling = requireNonNull(pooling, "pooling is null");
    this.quantizeAttention = quantizeAttention;
    this.pretrained = pretrained;
  }

  /**
   * @return the sizes
   */
  public BertDimensions dimensions() {
    return dims;
  }

  @Override
  public Network build(Backend backend, FeatureShape sample, int classes, SplittableRandom init) {
    requireNonNull(backend, "backend is null");
    if (sample.n() != 1 || sample.h() != 1 || sample.c() != 1) {
      throw new IllegalArgumentException(
          name
              + ": expects token-id samples [1, 1, L, 1] from a text data set, got "
              + sample
              + " (an image data set?)");
    }
    if (sample.w() > dims.maxPositions()) {
      throw new IllegalArgumentException(
          name
              + ": samples of "
              + sample.w()
              + " tokens exceed maxPositions "
              + dims.maxPositions());
    }
    int d = dims.hidden();
    List<Layer> layers = new ArrayList<>();
    float[] words = normal(init, dims.vocabulary() * d);
    java.util.Arrays.fill(words, 0, d, 0f); // [PAD]
    layers.add(
        new BertEmbeddings(
            backend,
            "embeddings",
            dims.vocabulary(),
            dims.maxPositions(),
            dims.tokenTypes(),
            d,
            List.of(
                words,
                normal(init, dims.maxPositions() * d),
                normal(init, dims.tokenTypes() * d))));
    layers.add(new LayerNorm(backend, "embeddings.LayerNorm", d, dims.layerNormEps()));
    layers.add(new Dropout(backend, "embeddings.dropout", dropout, init.nextLong()));
    for (int i = 0; i < dims.layers(); i++) {
      layers.add(attentionBlock(backend, "encoder.layer." + i, init));
      layers.add(feedForwardBlock(backend, "encoder.layer." + i, init));
    }
    layers.add(new TokenPooling(backend, "pooling", pooling));
    TransformerEncoder encoder =
        new TransformerEncoder(backend, "encoder", layers, dims.vocabulary(), dims.maxPositions());
    List<Layer> body =
        List.of(
            encoder,
            new Dropout(backend, "classifier.dropout", dropout, init.nextLong()),
            new Linear(backend, "classifier", d, classes, normal(init, classes * d)));
    Network network = new Network(name, backend, new Sequential(name, body), sample, classes);
    if (pretrained != null) {
      load(network, pretrained.get());
    }
    return network;
  }

  private Layer attentionBlock(Backend backend, String prefix, SplittableRandom init) {
    int d = dims.hidden();
    String att = prefix + ".attention";
    SelfAttention self =
        new SelfAttention(
            backend,
            att + ".self",
            d,
            dims.heads(),
            List.of(normal(init, d * d), normal(init, d * d), normal(init, d * d)),
            attentionDropout,
            init.nextLong(),
            quantizeAttention);
    Sequential inner =
        new Sequential(
            att,
            List.of(
                self,
                new Linear(backend, att + ".output.dense", d, d, normal(init, d * d)),
                new Dropout(backend, att + ".output.dropout", dropout, init.nextLong())));
    return new PostNormResidual(
        backend,
        att,
        inner,
        new LayerNorm(backend, att + ".output.LayerNorm", d, dims.layerNormEps()));
  }

  private Layer feedForwardBlock(Backend backend, String prefix, SplittableRandom init) {
    int d = dims.hidden();
    int f = dims.intermediate();
    Sequential inner =
        new Sequential(
            prefix + ".ffn",
            List.of(
                new Linear(backend, prefix + ".intermediate.dense", d, f, normal(init, f * d)),
                new Gelu(backend, prefix + ".intermediate.gelu"),
                new Linear(backend, prefix + ".output.dense", f, d, normal(init, d * f)),
                new Dropout(backend, prefix + ".output.dropout", dropout, init.nextLong())));
    return new PostNormResidual(
        backend,
        prefix + ".ffn",
        inner,
        new LayerNorm(backend, prefix + ".output.LayerNorm", d, dims.layerNormEps()));
  }

  private static float[] normal(SplittableRandom random, int n) {
    float[] w = new float[n];
    for (int i = 0; i < n; i++) {
      w[i] = (float) (nextGaussian(random) * INIT_STD);
    }
    return w;
  }

  /** A standard normal draw (Box–Muller on two uniforms), the same on every JVM. */
  private static double nextGaussian(SplittableRandom random) {
    double u1 = random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log1p(-u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Replaces every encoder parameter with the pretrained value of the same name. */
  private void load(Network network, Map<String, float[]> weights) {
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, Parameter> e : network.parameters().entrySet()) {
      Parameter p = e.getValue();
      if (e.getKey().startsWith("classifier.")) {
        continue;
      }
      float[] w = weights.get(e.getKey());
      if (w == null) {
        missing.add(e.getKey());
        continue;
      }
      if (w.length != p.value().length) {
        throw new IllegalArgumentException(
            name
                + ": pretrained "
                + e.getKey()
                + " has "
                + w.length
                + " values, the model expects "
                + java.util.Arrays.toString(p.shape()));
      }
      System.arraycopy(w, 0, p.value(), 0, w.length);
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          name
              + ": the pretrained weights lack "
              + missing.size()
              + " parameters, e.g. "
              + missing.get(0));
    }
  }

  @Override
  public String toString() {
    return name + dims;
  }
}
