package org.efqat.core.train;

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
import org.efqat.api.quant.QuantParams;
import org.efqat.core.config.AlwaysTrainConfig;
import org.efqat.core.freeze.CwpnFreezePolicy;
import org.efqat.core.importance.MeanAbsImportanceMetric;
import org.efqat.core.nn.Activation;
import org.efqat.core.nn.ActivationFakeQuant;
import org.efqat.core.nn.LayerQuantization;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.ParamKind;
import org.efqat.core.nn.Parameter;
import org.efqat.core.nn.SoftmaxCrossEntropy;
import org.efqat.core.nn.TestBackends;
import org.efqat.core.nn.WeightLayer;
import org.efqat.core.ptq.PercentileRangeEstimator;
import org.efqat.core.ptq.PtqCalibrator;
import org.efqat.core.quant.LsqPlusQuantizer;
import org.efqat.core.quant.LsqQuantizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Attention's two matmuls with quantized operands ({@code SelfAttention}'s {@code quantizeMatmuls})
 * in a tiny encoder: PTQ finds and calibrates the four quantizers, the quantized encoder stays
 * close to the one whose matmuls are FP, the option off changes nothing, and EfQAT trains their
 * steps and zero points.
 */
class TransformerMatmulQuantizationTest {
  private static final long SEED = 5;
  private static final int CALIBRATION_BATCHES = 2; // as TinyNets.quantize
  private static final List<String> SITES =
      List.of("att.self.query_act", "att.self.key_act", "att.self.value_act", "att.self.probs_act");

  static Stream<Supplier<Backend>> backends() {
    return TestBackends.all().stream();
  }

  private static InMemoryBatches calibrationData() {
    return TinyNets.tokenData(1, 48, 16);
  }

  /** The token ids and labels of the first calibration batch. */
  private static float[] firstBatch() {
    InMemoryBatches data = calibrationData();
    float[] ids = new float[16 * (int) TinyNets.TOKENS.size()];
    data.startEpoch(0);
    data.next(ids, new int[16]);
    return ids;
  }

  /**
   * Min-max PTQ (W4A8 LSQ/LSQ+): each operand's step and zero point are LSQ+'s initialization from
   * the minimum and maximum that the operand took in the FP network over the calibration batches,
   * observed here independently on an identical network.
   */
  @ParameterizedTest
  @MethodSource("backends")
  void ptqCalibratesTheFourOperandQuantizersFromTheirObservedRange(Supplier<Backend> factory) {
    try (Backend backend = factory.get()) {
      Network reference = TinyNets.transformer(backend, SEED, true);
      Map<String, float[]> observed = new LinkedHashMap<>();
      for (ActivationFakeQuant site : reference.activationQuantizers()) {
        float[] mm = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        observed.put(site.name(), mm);
        site.setObserver(
            a -> {
              float[] r = backend.ops().minMax(a.tensor());
              mm[0] = Math.min(mm[0], r[0]);
              mm[1] = Math.max(mm[1], r[1]);
            });
      }
      InMemoryBatches data = calibrationData();
      float[] ids = new float[16 * (int) TinyNets.TOKENS.size()];
      data.startEpoch(0);
      for (int b = 0; b < CALIBRATION_BATCHES; b++) {
        reference.forward(ids, data.next(ids, new int[16]), false);
      }
      assertThat(observed.keySet()).containsExactlyElementsOf(SITES);

      Network net = TinyNets.transformer(backend, SEED, true);
      TinyNets.quantize(net, calibrationData());
      Map<String, Parameter> params = net.parameters();
      for (ActivationFakeQuant site : net.activationQuantizers()) {
        float[] mm = observed.get(site.name());
        QuantParams expected =
            new LsqPlusQuantizer(8, true).initialize(new float[] {mm[0]}, new float[] {mm[1]});
        assertThat(site.isQuantized()).as(site.name()).isTrue();
        assertThat(site.step().value()[0]).as(site.name()).isPositive();
        assertThat(site.step().value()[0]).as(site.name()).isEqualTo(expected.step()[0]);
        assertThat(site.zeroPoint().value()[0]).as(site.name()).isEqualTo(expected.zeroPoint()[0]);
        assertThat(params.get(site.name() + ".step")).isSameAs(site.step());
        assertThat(params.get(site.name() + ".step").kind()).isEqualTo(ParamKind.ACTIVATION_STEP);
        assertThat(params.get(site.name() + ".zero_point").kind())
            .isEqualTo(ParamKind.ACTIVATION_ZERO_POINT);
      }
      // the probabilities: in [0, 1], 0 at the padded keys, so the grid starts at 0
      float[] probs = observed.get("att.self.probs_act");
      assertThat(probs[0]).isZero();
      assertThat(probs[1]).isBetween(0f, 1f);
      assertThat(net.activationQuantizers().get(3).zeroPoint().value()[0]).isZero();
      assertThat(net.activationQuantizers().get(3).step().value()[0])
          .isEqualTo(Math.max(probs[1] / 255, 1e-8f));
      reference.release();
      net.release();
    }
  }

  /**
   * The attention output (the input of {@code att.out}) of the PTQ'd encoder with quantized matmuls
   * differs from that of the same PTQ'd encoder with FP matmuls by less than three steps of {@code
   * att.out}'s 8-bit input quantizer, and it does differ.
   */
  @Test
  void quantizedMatmulsMoveTheAttentionOutputByLessThanThreeSteps() {
    try (Backend backend = TestBackends.nd4j()) {
      Network quantized = TinyNets.transformer(backend, SEED, true);
      Network fpMatmuls = TinyNets.transformer(backend, SEED, false);
      TinyNets.quantize(quantized, calibrationData());
      TinyNets.quantize(fpMatmuls, calibrationData());
      float[] a = attentionOutput(quantized);
      float[] b = attentionOutput(fpMatmuls);
      WeightLayer out = layer(fpMatmuls, "att.out");
      assertThat(layer(quantized, "att.out").inputStep().value())
          .containsExactly(out.inputStep().value()); // the same calibration of the Linear layers
      double maxDiff = 0;
      for (int i = 0; i < a.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
      }
      assertThat(maxDiff).isPositive().isLessThan(3.0 * out.inputStep().value()[0]);
      quantized.release();
      fpMatmuls.release();
    }
  }

  private static WeightLayer layer(Network net, String name) {
    return net.weightLayers().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
  }

  /** The input of {@code att.out} for the first calibration batch. */
  private static float[] attentionOutput(Network net) {
    WeightLayer out = layer(net, "att.out");
    List<float[]> seen = new ArrayList<>();
    out.setInputObserver(a -> seen.add(net.backend().ops().toArray(a.tensor())));
    net.forward(firstBatch(), 16, false);
    out.setInputObserver(null);
    return seen.get(0);
  }

  /**
   * With the option off the encoder is the one from before: no activation quantizers, PTQ adds only
   * the weight layers' parameters (those of the quantized-matmul encoder less its eight), and the
   * FP logits are bit-identical to those of the quantized-matmul encoder before calibration (its
   * quantizers are the identity until then).
   */
  @Test
  void withTheOptionOffNothingChanges() {
    try (Backend backend = TestBackends.nd4j()) {
      Network off = TinyNets.transformer(backend, SEED, false);
      Network on = TinyNets.transformer(backend, SEED, true);
      assertThat(off.activationQuantizers()).isEmpty();
      assertThat(on.activationQuantizers())
          .extracting(ActivationFakeQuant::name)
          .containsExactlyElementsOf(SITES);
      assertThat(on.parameters().keySet()).containsExactlyElementsOf(off.parameters().keySet());
      float[] ids = firstBatch();
      assertThat(logits(on, ids)).containsExactly(logits(off, ids));

      TinyNets.quantize(off, calibrationData());
      TinyNets.quantize(on, calibrationData());
      List<String> expected = new ArrayList<>(on.parameters().keySet());
      expected.removeIf(n -> n.contains("_act."));
      assertThat(on.parameters().size() - expected.size()).isEqualTo(8);
      assertThat(off.parameters().keySet()).containsExactlyElementsOf(expected);
      // the option is the only difference: the same network built by the pre-existing path
      Network legacy = TinyNets.transformer(backend, SEED);
      TinyNets.quantize(legacy, calibrationData());
      assertThat(logits(off, ids)).containsExactly(logits(legacy, ids));
      assertThat(logits(on, ids)).isNotEqualTo(logits(off, ids));
      off.release();
      on.release();
      legacy.release();
    }
  }

  private static float[] logits(Network net, float[] ids) {
    return net.backend().ops().toArray(net.forward(ids, 16, false).tensor());
  }

  /**
   * EfQAT (CWPN, a quarter of the rows, default always-trained parameters) on the encoder with
   * quantized matmuls: the loss stays finite, every operand's step and zero point is trained, and
   * the steps move. A zero point's LSQ+ gradient comes only from clipped values, so PTQ here keeps
   * the 99th percentiles to make each operand clip; even so, a step changes a zero point of ~130
   * levels by less than its float spacing (as for the Linear layers' input zero points), so for the
   * zero points the test asserts a non-zero gradient on a training batch instead.
   */
  @Test
  void efqatTrainsTheOperandStepsAndZeroPoints() {
    try (Backend backend = TestBackends.nd4j()) {
      Network net = TinyNets.transformer(backend, SEED, true);
      PtqCalibrator.calibrate(
          net,
          calibrationData(),
          CALIBRATION_BATCHES,
          false,
          new PercentileRangeEstimator(99),
          (i, n, layer) ->
              new LayerQuantization(new LsqQuantizer(4), new LsqPlusQuantizer(8, true)),
          site -> new LsqPlusQuantizer(8, true),
          new SplittableRandom(1));
      Map<String, Float> before = new LinkedHashMap<>();
      List<String> zeroPoints = new ArrayList<>();
      for (ActivationFakeQuant site : net.activationQuantizers()) {
        before.put(site.step().name(), site.step().value()[0]);
        zeroPoints.add(site.zeroPoint().name());
      }
      List<Parameter> trainable = TrainableParameters.forEfqat(net, AlwaysTrainConfig.DEFAULT);
      assertThat(trainable)
          .extracting(Parameter::name)
          .containsAll(before.keySet())
          .containsAll(zeroPoints);
      EfqatTrainer trainer =
          new EfqatTrainer(
              net,
              new Sgd(0.9, false, 1e-4),
              trainable,
              new RowSelector(net, new MeanAbsImportanceMetric(), new CwpnFreezePolicy(0.25)),
              Long.MAX_VALUE,
              null);
      EfqatTrainer.Result r =
          trainer.train(
              TinyNets.tokenData(2, 48, 16),
              2,
              LearningRateSchedule.of(
                  0.05, 0, new ScheduleProviders.Constant().create(null, null), 6));
      assertThat(r.steps()).isEqualTo(6);
      assertThat(r.losses()).allSatisfy(l -> assertThat(l).isFinite());
      Map<String, Parameter> params = net.parameters();
      before.forEach(
          (name, value) -> assertThat(params.get(name).value()[0]).as(name).isNotEqualTo(value));
      net.zeroGrad();
      float[] ids = new float[16 * (int) TinyNets.TOKENS.size()];
      int[] labels = new int[16];
      InMemoryBatches data = calibrationData();
      data.startEpoch(0);
      data.next(ids, labels);
      Activation logits = net.forward(ids, 16, true);
      float[] z = backend.ops().toArray(logits.tensor());
      float[] g = new float[z.length];
      SoftmaxCrossEntropy.lossAndGradient(z, labels, 16, TinyNets.CLASSES, g);
      try (Tensor gt = backend.ops().fromArray(g, 16, TinyNets.CLASSES)) {
        net.backward(new Activation(gt, logits.shape()));
      }
      for (String name : zeroPoints) {
        assertThat(params.get(name).grad()[0]).as(name).isNotZero();
      }
      net.release();
    }
  }
}
