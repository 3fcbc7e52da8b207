package org.efqat.core.nn.transformer;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.Tensor;
import org.efqat.core.nn.Dropout;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.Gelu;
import org.efqat.core.nn.GradientCheck;
import org.efqat.core.nn.Layer;
import org.efqat.core.nn.LayerNorm;
import org.efqat.core.nn.Linear;
import org.efqat.core.nn.Sequential;
import org.efqat.core.nn.TestBackends;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Transformer layers' backward passes against central finite differences on every backend:
 * masked multi-head attention, post-norm residual blocks, pooling, embeddings and a whole encoder.
 * Sequence 0 has padding at its end, so the mask's effect on the gradients is checked too.
 */
class TransformerGradientTest {
  private static final int B = 2;
  private static final int L = 5;
  private static final int D = 8;
  private static final int VOCAB = 11;

  /** Ids: sample 0 has three tokens and two pads, sample 1 five tokens (one repeated). */
  private static final float[] IDS = {2, 5, 7, 0, 0, 3, 9, 3, 10, 1};

  static Stream<Supplier<Backend>> backends() {
    return TestBackends.all().stream();
  }

  private static float[] weights(int n, long seed, double scale) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] w = new float[n];
    for (int i = 0; i < n; i++) {
      w[i] = (float) ((r.nextDouble() - 0.5) * 2 * scale);
    }
    return w;
  }

  private static Tensor tokens(Backend backend, TokenAware layer) {
    TokenBatch batch = TokenBatch.of(IDS, new FeatureShape(B, 1, L, 1), VOCAB, 16);
    Tensor mask = backend.ops().fromArray(batch.keyMask(), B, L);
    layer.setTokens(batch, mask);
    return mask;
  }

  private static SelfAttention attention(Backend backend, String name, float dropout) {
    return new SelfAttention(
        backend,
        name,
        D,
        2,
        List.of(weights(D * D, 1, 0.6), weights(D * D, 2, 0.6), weights(D * D, 3, 0.6)),
        dropout,
        17);
  }

  @ParameterizedTest
  @MethodSource("backends")
  void maskedMultiHeadSelfAttention(Supplier<Backend> factory) {
    try (Backend backend = factory.get()) {
      SelfAttention att = attention(backend, "att", 0f);
      Tensor mask = tokens(backend, att);
      try {
        new GradientCheck(backend, att, new FeatureShape(B, 1, L, D), 31).run(40);
      } finally {
        mask.close();
      }
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void attentionWithDropoutOnItsProbabilities(Supplier<Backend> factory) {
    try (Backend backend = factory.get()) {
      SelfAttention att = attention(backend, "att", 0.2f);
      att.setTrainingStep(3);
      Tensor mask = tokens(backend, att);
      try {
        new GradientCheck(backend, att, new FeatureShape(B, 1, L, D), 32).run(40);
      } finally {
        mask.close();
      }
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void postNormFeedForwardBlock(Supplier<Backend> factory) {
    try (Backend backend = factory.get()) {
      Sequential inner =
          new Sequential(
              "ffn",
              List.of(
                  new Linear(backend, "in", D, 12, weights(12 * D, 4, 0.5)),
                  new Gelu(backend, "gelu"),
                  new Linear(backend, "out", 12, D, weights(D * 12, 5, 0.5)),
                  new Dropout(backend, "drop", 0.1f, 3)));
      Layer block =
          new PostNormResidual(backend, "block", inner, new LayerNorm(backend, "ln", D, 1e-5f));
      new GradientCheck(backend, block, new FeatureShape(B, 1, L, D), 33).run(40);
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void firstTokenAndMeanPooling(Supplier<Backend> factory) {
    try (Backend backend = factory.get()) {
      for (TokenPooling.Mode mode : TokenPooling.Mode.values()) {
        TokenPooling pool = new TokenPooling(backend, "pool", mode);
        Tensor mask = tokens(backend, pool);
        try {
          new GradientCheck(backend, pool, new FeatureShape(B, 1, L, D), 34).run(30);
        } finally {
          mask.close();
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void wholeEncoderOnTokenIds(Supplier<Backend> factory) {
    try (Backend backend = factory.get()) {
      List<Layer> layers =
          List.of(
              new BertEmbeddings(
                  backend,
                  "embeddings",
                  VOCAB,
                  16,
                  2,
                  D,
                  List.of(
                      weights(VOCAB * D, 6, 1), weights(16 * D, 7, 0.5), weights(2 * D, 8, 0.5))),
              new LayerNorm(backend, "embeddings.LayerNorm", D, 1e-5f),
              new PostNormResidual(
                  backend,
                  "att",
                  new Sequential(
                      "att",
                      List.of(
                          attention(backend, "att.self", 0.1f),
                          new Linear(backend, "att.out", D, D, weights(D * D, 9, 0.5)))),
                  new LayerNorm(backend, "att.ln", D, 1e-5f)),
              new TokenPooling(backend, "pool", TokenPooling.Mode.MEAN));
      TransformerEncoder encoder = new TransformerEncoder(backend, "enc", layers, VOCAB, 16);
      encoder.setTrainingStep(2);
      new GradientCheck(backend, encoder, new FeatureShape(B, 1, L, 1), 35)
          .withFixedInput(IDS)
          .composite()
          .run(40);
    }
  }
}
