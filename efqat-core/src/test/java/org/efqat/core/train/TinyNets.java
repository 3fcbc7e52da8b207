package org.efqat.core.train;

import java.util.List;
import java.util.SplittableRandom;
import org.efqat.api.backend.Backend;
import org.efqat.core.nn.BatchNorm2d;
import org.efqat.core.nn.Conv2d;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.Gelu;
import org.efqat.core.nn.GlobalAvgPool;
import org.efqat.core.nn.Layer;
import org.efqat.core.nn.LayerNorm;
import org.efqat.core.nn.LayerQuantization;
import org.efqat.core.nn.Linear;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.ReLU;
import org.efqat.core.nn.Sequential;
import org.efqat.core.nn.transformer.BertEmbeddings;
import org.efqat.core.nn.transformer.PostNormResidual;
import org.efqat.core.nn.transformer.SelfAttention;
import org.efqat.core.nn.transformer.TokenPooling;
import org.efqat.core.nn.transformer.TransformerEncoder;
import org.efqat.core.ptq.MinMaxRangeEstimator;
import org.efqat.core.ptq.PtqCalibrator;
import org.efqat.core.quant.LsqPlusQuantizer;
import org.efqat.core.quant.LsqQuantizer;

/** A small seeded CNN, a small seeded Transformer encoder and learnable toy data for each. */
final class TinyNets {
  static final FeatureShape SAMPLE = new FeatureShape(1, 6, 6, 1);
  static final int CLASSES = 3;

  /** Token sequences: [CLS] = 1, then five positions of ids in [2, 12) or padding 0. */
  static final FeatureShape TOKENS = new FeatureShape(1, 1, 6, 1);

  static final int VOCABULARY = 12;
  private static final int HIDDEN = 8;

  private TinyNets() {}

  static float[] gaussian(SplittableRandom r, int n, double std) {
    float[] w = new float[n];
    for (int i = 0; i < n; i++) {
      w[i] = (float) (r.nextGaussian() * std);
    }
    return w;
  }

  static Network cnn(Backend backend, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    return new Network(
        "tiny",
        backend,
        new Sequential(
            "tiny",
            List.of(
                new Conv2d(backend, "c1", 1, 8, 3, 1, 1, false, gaussian(r, 8 * 9, 0.47)),
                new BatchNorm2d(backend, "b1", 8),
                new ReLU(backend, "r1"),
                new Conv2d(backend, "c2", 8, 16, 3, 2, 1, false, gaussian(r, 16 * 72, 0.17)),
                new ReLU(backend, "r2"),
                new GlobalAvgPool(backend, "pool"),
                new Linear(backend, "fc", 16, CLASSES, gaussian(r, 3 * 16, 0.25)))),
        SAMPLE,
        CLASSES);
  }

  /**
   * A one-layer encoder (hidden 8, 2 heads, FFN 16, mean pooling, no dropout) and a classifier: six
   * quantizable Linear layers.
   */
  static Network transformer(Backend backend, long seed) {
    return transformer(backend, seed, false);
  }

  /**
   * {@link #transformer(Backend, long)}, optionally with attention's two matmuls quantized by PTQ
   * ({@code att.self.{query,key,value,probs}_act}).
   */
  static Network transformer(Backend backend, long seed, boolean quantizeAttention) {
    SplittableRandom r = new SplittableRandom(seed);
    int d = HIDDEN;
    List<Layer> layers =
        List.of(
            new BertEmbeddings(
                backend,
                "embeddings",
                VOCABULARY,
                TOKENS.w(),
                1,
                d,
                List.of(
                    gaussian(r, VOCABULARY * d, 1),
                    gaussian(r, TOKENS.w() * d, 0.3),
                    gaussian(r, d, 0.3))),
            new LayerNorm(backend, "embeddings.LayerNorm", d, 1e-5f),
            new PostNormResidual(
                backend,
                "att",
                new Sequential(
                    "att",
                    List.of(
                        new SelfAttention(
                            backend,
                            "att.self",
                            d,
                            2,
                            List.of(
                                gaussian(r, d * d, 0.35),
                                gaussian(r, d * d, 0.35),
                                gaussian(r, d * d, 0.35)),
                            0f,
                            1,
                            quantizeAttention),
                        new Linear(backend, "att.out", d, d, gaussian(r, d * d, 0.35)))),
                new LayerNorm(backend, "att.ln", d, 1e-5f)),
            new PostNormResidual(
                backend,
                "ffn",
                new Sequential(
                    "ffn",
                    List.of(
                        new Linear(backend, "ffn.in", d, 2 * d, gaussian(r, 2 * d * d, 0.35)),
                        new Gelu(backend, "ffn.gelu"),
                        new Linear(backend, "ffn.out", 2 * d, d, gaussian(r, 2 * d * d, 0.25)))),
                new LayerNorm(backend, "ffn.ln", d, 1e-5f)),
            new TokenPooling(backend, "pool", TokenPooling.Mode.MEAN));
    return new Network(
        "tiny-transformer",
        backend,
        new Sequential(
            "tiny-transformer",
            List.of(
                new TransformerEncoder(backend, "encoder", layers, VOCABULARY, TOKENS.w()),
                new Linear(backend, "fc", d, CLASSES, gaussian(r, CLASSES * d, 0.35)))),
        TOKENS,
        CLASSES);
  }

  /**
   * Class c's sequences contain token {@code 2 + c}; the other tokens are drawn from {@code [5,
   * 12)}, and each sequence ends in 0 to 2 padding positions.
   */
  static InMemoryBatches tokenData(long seed, int samples, int batch) {
    SplittableRandom r = new SplittableRandom(seed);
    int l = TOKENS.w();
    float[] x = new float[samples * l];
    int[] y = new int[samples];
    for (int s = 0; s < samples; s++) {
      y[s] = s % CLASSES;
      int length = l - r.nextInt(3);
      x[s * l] = 1;
      for (int i = 1; i < length; i++) {
        x[s * l + i] = 5 + r.nextInt(VOCABULARY - 5);
      }
      x[s * l + 1 + r.nextInt(length - 1)] = 2 + y[s];
    }
    return new InMemoryBatches(x, y, l, batch, new SplittableRandom(seed + 1));
  }

  /**
   * @param images NHWC pixels, 36 per sample
   * @param labels one per sample
   */
  record Arrays(float[] images, int[] labels) {
    Arrays head(Integer n) {
      if (n == null || n >= labels.length) {
        return this;
      }
      return new Arrays(
          java.util.Arrays.copyOf(images, n * 36), java.util.Arrays.copyOf(labels, n));
    }
  }

  /** Class c is a bright 2×2 patch at one of three positions, plus noise. */
  static Arrays arrays(long seed, int samples) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[samples * 36];
    int[] y = new int[samples];
    for (int s = 0; s < samples; s++) {
      y[s] = s % CLASSES;
      for (int i = 0; i < 36; i++) {
        x[s * 36 + i] = (float) (r.nextGaussian() * 0.3);
      }
      int at = y[s] * 2;
      for (int dy = 0; dy < 2; dy++) {
        for (int dx = 0; dx < 2; dx++) {
          x[s * 36 + (at + dy) * 6 + at + dx] += 2f;
        }
      }
    }
    return new Arrays(x, y);
  }

  /** {@link #arrays} as shuffled batches. */
  static InMemoryBatches data(long seed, int samples, int batch) {
    Arrays a = arrays(seed, samples);
    return new InMemoryBatches(a.images(), a.labels(), 36, batch, new SplittableRandom(seed + 1));
  }

  /** Quantizes a network at W4A8 with min-max PTQ on one pass of the data. */
  static void quantize(Network net, InMemoryBatches data) {
    PtqCalibrator.calibrate(
        net,
        data,
        2,
        false,
        new MinMaxRangeEstimator(),
        (i, n, layer) -> new LayerQuantization(new LsqQuantizer(4), new LsqPlusQuantizer(8, true)),
        site -> new LsqPlusQuantizer(8, true),
        new SplittableRandom(1));
  }
}
