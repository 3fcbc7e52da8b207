package org.efqat.core.nn.transformer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.Tensor;
import org.efqat.api.quant.Quantizer;
import org.efqat.core.nn.Activation;
import org.efqat.core.nn.ActivationFakeQuant;
import org.efqat.core.nn.Dropout;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.FrozenRoundingQuantizer;
import org.efqat.core.nn.Gelu;
import org.efqat.core.nn.GradientCheck;
import org.efqat.core.nn.Layer;
import org.efqat.core.nn.LayerNorm;
import org.efqat.core.nn.Linear;
import org.efqat.core.nn.ParamKind;
import org.efqat.core.nn.Parameter;
import org.efqat.core.nn.Sequential;
import org.efqat.core.nn.TestBackends;
import org.efqat.core.quant.LsqPlusQuantizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Transformer layers' backward passes against central finite differences on every backend:
 * masked multi-head attention, post-norm residual blocks, pooling, embeddings and a whole encoder.
 * Sequence 0 has padding at its end, so the mask's effect on the gradients is checked too.
 *
 * <p>Attention with quantized matmul operands is piecewise constant in its inputs, so finite
 * differences cannot check it directly; {@link FrozenRoundingQuantizer} explains the smooth
 * surrogate whose exact gradient the straight-through / LSQ / LSQ+ backward pass is, and the two
 * quantized-attention tests check the layer against that surrogate and the backend kernels against
 * the surrogate's heap implementation.
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
    return attention(backend, name, dropout, false);
  }

  private static SelfAttention attention(
      Backend backend, String name, float dropout, boolean quantizeMatmuls) {
    return new SelfAttention(
        backend,
        name,
        D,
        2,
        List.of(weights(D * D, 1, 0.6), weights(D * D, 2, 0.6), weights(D * D, 3, 0.6)),
        dropout,
        17,
        quantizeMatmuls);
  }

  /** 4-bit LSQ+ with a learned zero point: coarse, so residuals and clipping are substantial. */
  private static LsqPlusQuantizer lsqPlus4() {
    return new LsqPlusQuantizer(4, true);
  }

  /**
   * Quantizes the four matmul operands from their ranges on input {@code x}: {@code 0.8·[min, max]}
   * for Q, K and V (so both ends clip), {@code [−0.1, 0.8]} for the probabilities (a zero point of
   * 2, so the masked probabilities, exactly 0, sit on a level and not on the clipping boundary,
   * where the surrogate has a kink).
   *
   * @param quantizers the quantizer per operand (query, key, value, probs)
   */
  private static void quantizeOperands(
      Backend backend, SelfAttention att, float[] x, List<Quantizer> quantizers) {
    List<ActivationFakeQuant> sites = att.activationQuantizers();
    assertThat(sites)
        .extracting(ActivationFakeQuant::name)
        .containsExactly("att.query_act", "att.key_act", "att.value_act", "att.probs_act");
    List<float[]> ranges = new ArrayList<>();
    for (ActivationFakeQuant site : sites) {
      float[] mm = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
      ranges.add(mm);
      site.setObserver(
          a -> {
            float[] r = backend.ops().minMax(a.tensor());
            mm[0] = Math.min(mm[0], r[0]);
            mm[1] = Math.max(mm[1], r[1]);
          });
    }
    FeatureShape in = new FeatureShape(B, 1, L, D);
    try (Tensor t = backend.ops().fromArray(x, in.dims())) {
      att.forward(new Activation(t, in), false);
    }
    for (int i = 0; i < 4; i++) {
      ActivationFakeQuant site = sites.get(i);
      site.setObserver(null);
      float[] r = ranges.get(i);
      float lo = i == 3 ? -0.1f : 0.8f * r[0];
      float hi = i == 3 ? 0.8f : 0.8f * r[1];
      Quantizer q = quantizers.get(i);
      site.quantize(q, q.initialize(new float[] {lo}, new float[] {hi}));
    }
  }

  /**
   * Finite differences of the frozen-rounding surrogate ({@link FrozenRoundingQuantizer}) against
   * the backward pass of attention with 4-bit LSQ+ on {@code Q, K, V, P}: the input gradient
   * (straight-through, through both matmuls and the softmax), the Q/K/V weight and bias gradients,
   * and the eight step and zero-point gradients (LSQ/LSQ+ with their gradient scale). With dropout
   * on the probabilities (fixed masks for the step), which come after their quantizer.
   */
  @ParameterizedTest
  @MethodSource("backends")
  void attentionWithQuantizedMatmulsAgainstItsStraightThroughSurrogate(Supplier<Backend> factory) {
    try (Backend backend = factory.get()) {
      SelfAttention att = attention(backend, "att", 0.2f, true);
      att.setTrainingStep(3);
      Tensor mask = tokens(backend, att);
      try {
        GradientCheck check = new GradientCheck(backend, att, new FeatureShape(B, 1, L, D), 36);
        List<Quantizer> surrogates = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          surrogates.add(new FrozenRoundingQuantizer(lsqPlus4()));
        }
        quantizeOperands(backend, att, check.input(), surrogates);
        assertThat(att.parameters())
            .filteredOn(p -> p.kind() == ParamKind.ACTIVATION_STEP)
            .extracting(Parameter::name)
            .containsExactly(
                "att.query_act.step",
                "att.key_act.step",
                "att.value_act.step",
                "att.probs_act.step");
        // quantizer parameters: ε = 1e-2 moves s̃ and z̃ by g·ε ≈ 3e-4, well inside each rounding
        // level, and lowers the FP32 noise of the difference quotient to about 5e-5
        check.withQuantizerParameters(1e-2, 2e-4).run(40);
      } finally {
        mask.close();
      }
    }
  }

  /**
   * The backend's fused fake-quantization kernels give the layer the same output and gradients as
   * the heap surrogate at the point where it records its residuals (where the two functions and
   * their straight-through derivatives coincide), so the previous test covers the kernels too.
   */
  @ParameterizedTest
  @MethodSource("backends")
  void quantizedMatmulKernelsMatchTheCheckedSurrogate(Supplier<Backend> factory) {
    try (Backend backend = factory.get()) {
      float[] x =
          new GradientCheck(backend, attention(backend, "x", 0f), new FeatureShape(B, 1, L, D), 37)
              .input();
      SelfAttention kernels = attention(backend, "att", 0.2f, true);
      SelfAttention surrogate = attention(backend, "att", 0.2f, true);
      kernels.setTrainingStep(3);
      surrogate.setTrainingStep(3);
      Tensor kernelsMask = tokens(backend, kernels);
      Tensor surrogateMask = tokens(backend, surrogate);
      quantizeOperands(
          backend, kernels, x, List.of(lsqPlus4(), lsqPlus4(), lsqPlus4(), lsqPlus4()));
      List<Quantizer> frozen = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        frozen.add(new FrozenRoundingQuantizer(lsqPlus4()));
      }
      quantizeOperands(backend, surrogate, x, frozen);
      Map<String, float[]> a = forwardBackward(backend, kernels, x);
      Map<String, float[]> b = forwardBackward(backend, surrogate, x);
      kernelsMask.close();
      surrogateMask.close();
      assertThat(b.keySet()).containsExactlyElementsOf(a.keySet());
      assertThat(a.get("att.probs_act.step")[0]).isNotZero();
      assertThat(a.get("att.value_act.zero_point")[0]).isNotZero();
      a.forEach(
          (name, expected) -> {
            float[] actual = b.get(name);
            for (int i = 0; i < expected.length; i++) {
              assertThat(actual[i])
                  .as("%s[%d]", name, i)
                  .isCloseTo(
                      expected[i],
                      org.assertj.core.data.Offset.offset(1e-5f + 1e-4f * Math.abs(expected[i])));
            }
          });
    }
  }

  /**
   * @return the output ({@code "y"}), the input gradient ({@code "x"}) and every parameter's
   *     gradient by name, for one training step with a fixed output gradient
   */
  private static Map<String, float[]> forwardBackward(
      Backend backend, SelfAttention att, float[] x) {
    Map<String, float[]> out = new LinkedHashMap<>();
    FeatureShape in = new FeatureShape(B, 1, L, D);
    float[] g = weights(B * L * D, 41, 1);
    try (Tensor t = backend.ops().fromArray(x, in.dims());
        Tensor gt = backend.ops().fromArray(g, in.dims())) {
      att.parameters().forEach(Parameter::zeroGrad);
      Activation y = att.forward(new Activation(t, in), true);
      out.put("y", backend.ops().toArray(y.tensor()));
      out.put("x", backend.ops().toArray(att.backward(new Activation(gt, in)).tensor()));
    }
    for (Parameter p : att.parameters()) {
      out.put(p.name(), p.grad().clone());
    }
    return out;
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
