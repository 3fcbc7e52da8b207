package org.efqat.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.TensorOps;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.TestBackends;
import org.efqat.core.ptq.AdaRoundConfig;
import org.efqat.core.ptq.AdaRoundRefinement;
import org.efqat.core.ptq.BiasCorrectionConfig;
import org.efqat.core.ptq.BiasCorrectionRefinement;
import org.efqat.core.ptq.FullPrecisionWeights;
import org.efqat.core.ptq.LayerReport;
import org.efqat.core.ptq.OutputMseConfig;
import org.efqat.core.ptq.OutputMseRefinement;
import org.efqat.core.ptq.RefinementContext;
import org.efqat.core.ptq.RefinementListener;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The refinements on the tiny Transformer encoder with quantized attention matmuls, on both
 * backends: every one of its six Linear layers is refined (their inputs are token sequences, one
 * sample per sequence), the network's logits move closer to the FP logits, and the bypass used for
 * the captures is undone afterwards.
 */
class TransformerRefinementTest {
  static List<Supplier<Backend>> backends() {
    return TestBackends.all();
  }

  private static double logitMse(Network net, float[] ids, int n, float[] fp) {
    TensorOps ops = net.backend().ops();
    float[] q = ops.toArray(net.forward(ids, n, false).tensor());
    double s = 0;
    for (int i = 0; i < q.length; i++) {
      s += (q[i] - fp[i]) * (double) (q[i] - fp[i]);
    }
    return s / q.length;
  }

  @ParameterizedTest
  @MethodSource("backends")
  void refinesEveryLinearLayerOfTheEncoderAndBringsTheLogitsCloser(Supplier<Backend> factory) {
    try (Backend backend = factory.get()) {
      Network net = TinyNets.transformer(backend, 5, true);
      int n = 48;
      float[] ids = new float[n * (int) TinyNets.TOKENS.size()];
      InMemoryBatches all = TinyNets.tokenData(1, n, n);
      all.startEpoch(0);
      all.next(ids, new int[n]);
      float[] fp = backend.ops().toArray(net.forward(ids, n, false).tensor());
      TinyNets.quantize(net, TinyNets.tokenData(1, n, 16));
      double before = logitMse(net, ids, n, fp);
      RefinementContext context =
          new RefinementContext(
              3, new SplittableRandom(2), RefinementListener.NONE, FullPrecisionWeights.of(net));
      List<LayerReport> adaround =
          new AdaRoundRefinement(new AdaRoundConfig(40, 48, 16, 1e-2, null, null, null, null))
              .refine(net, () -> TinyNets.tokenData(1, n, 16), context);
      List<LayerReport> outputMse =
          new OutputMseRefinement(new OutputMseConfig(48, null, 8))
              .refine(net, () -> TinyNets.tokenData(1, n, 16), context);
      List<LayerReport> bias =
          new BiasCorrectionRefinement(new BiasCorrectionConfig(48))
              .refine(net, () -> TinyNets.tokenData(1, n, 16), context);
      for (List<LayerReport> r : List.of(adaround, outputMse, bias)) {
        assertThat(r)
            .extracting(LayerReport::layer)
            .containsExactly(
                "att.self.query",
                "att.self.key",
                "att.self.value",
                "att.out",
                "ffn.in",
                "ffn.out",
                "fc");
      }
      assertThat(adaround).allMatch(r -> r.mseAfter() <= r.mseBefore());
      assertThat(outputMse).allMatch(r -> r.mseAfter() <= r.mseBefore());
      assertThat(net.activationQuantizers()).noneMatch(a -> a.isQuantizationBypassed());
      assertThat(logitMse(net, ids, n, fp)).isLessThan(before);
      net.release();
    }
  }
}
