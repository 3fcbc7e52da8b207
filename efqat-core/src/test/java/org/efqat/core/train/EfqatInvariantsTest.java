package org.efqat.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.efqat.api.backend.Backend;
import org.efqat.api.freeze.RowSelection;
import org.efqat.core.config.AlwaysTrainConfig;
import org.efqat.core.freeze.AllFreezePolicy;
import org.efqat.core.freeze.CwpnFreezePolicy;
import org.efqat.core.freeze.NoneFreezePolicy;
import org.efqat.core.importance.MeanAbsImportanceMetric;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.ParamKind;
import org.efqat.core.nn.Parameter;
import org.efqat.core.nn.TestBackends;
import org.efqat.core.nn.WeightLayer;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The EfQAT invariants of DESIGN.md 1.2, on a small quantized CNN and on a small quantized
 * Transformer encoder (whose six Linear layers include attention's Q, K and V), with and without
 * attention's two matmuls quantized.
 *
 * <p>On every backend ({@link TestBackends#byName}).
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"nd4j", "nd4j-device-ops", "tf", "tf-device-kernels"})
class EfqatInvariantsTest {
  private static final Schedule CONSTANT = new ScheduleProviders.Constant().create(null, null);
  private static Backend backend;

  /** The backend this invocation of the class runs on. */
  @org.junit.jupiter.params.Parameter String backendName;

  @BeforeParameterizedClassInvocation
  static void open(String name) {
    backend = TestBackends.byName(name);
  }

  @AfterParameterizedClassInvocation
  static void close() {
    backend.close();
  }

  /** A network family and its toy data. */
  enum Model {
    CNN(TinyNets.SAMPLE),
    TRANSFORMER(TinyNets.TOKENS),
    /** The Transformer with attention's two matmuls quantized too. */
    TRANSFORMER_QUANTIZED_ATTENTION(TinyNets.TOKENS);

    final int sampleSize;

    Model(org.efqat.core.nn.FeatureShape sample) {
      this.sampleSize = (int) sample.size();
    }

    Network build() {
      return this == CNN
          ? TinyNets.cnn(backend, 5)
          : TinyNets.transformer(backend, 5, this == TRANSFORMER_QUANTIZED_ATTENTION);
    }

    InMemoryBatches data(long seed, int samples, int batch) {
      return this == CNN
          ? TinyNets.data(seed, samples, batch)
          : TinyNets.tokenData(seed, samples, batch);
    }

    Network quantized() {
      Network net = build();
      TinyNets.quantize(net, data(1, 48, 16));
      return net;
    }
  }

  private static EfqatTrainer.Result train(
      Model model, Network net, RowSelector selector, long interval, int epochs) {
    EfqatTrainer trainer =
        new EfqatTrainer(
            net,
            new Sgd(0.9, false, 1e-4),
            TrainableParameters.forEfqat(net, AlwaysTrainConfig.DEFAULT),
            selector,
            interval,
            null);
    InMemoryBatches data = model.data(2, 48, 16);
    return trainer.train(data, epochs, LearningRateSchedule.of(0.05, 0, CONSTANT, 3 * epochs));
  }

  private static Map<String, float[]> snapshot(Network net) {
    Map<String, float[]> m = new java.util.LinkedHashMap<>();
    net.parameters().forEach((k, p) -> m.put(k, p.value().clone()));
    return m;
  }

  @ParameterizedTest
  @EnumSource(Model.class)
  void pOneIsExactlyPlainQat(Model model) {
    Network plain = model.quantized();
    Network all = model.quantized();
    train(model, plain, null, 0, 3);
    train(
        model,
        all,
        new RowSelector(all, new MeanAbsImportanceMetric(), new AllFreezePolicy()),
        16,
        3);
    Map<String, float[]> a = snapshot(plain);
    Map<String, float[]> b = snapshot(all);
    assertThat(b.keySet()).containsExactlyElementsOf(a.keySet());
    a.forEach((k, v) -> assertThat(b.get(k)).as(k).containsExactly(v));
    String first = plain.weightLayers().get(0).name() + ".weight";
    assertThat(a.get(first)).isNotEqualTo(model.quantized().parameters().get(first).value());
  }

  @ParameterizedTest
  @EnumSource(Model.class)
  void frozenRowsStayBitIdenticalAndUnfrozenRowsTrain(Model model) {
    Network net = model.quantized();
    Map<String, float[]> before = snapshot(net);
    RowSelector selector =
        new RowSelector(net, new MeanAbsImportanceMetric(), new CwpnFreezePolicy(0.25));
    EfqatTrainer.Result r = train(model, net, selector, Long.MAX_VALUE, 6); // select once, 18 steps
    assertThat(r.selections()).isEqualTo(1);
    RowSelection selection = selector.last();
    assertThat(selection.unfrozenFraction()).isBetween(0.25, 0.27);
    int frozenRows = 0;
    int trainedRows = 0;
    for (WeightLayer layer : net.weightLayers()) {
      int k = layer.weight().rowSize();
      float[] w0 = before.get(layer.name() + ".weight");
      float[] s0 = before.get(layer.name() + ".weight_step");
      for (int row = 0; row < layer.outChannels(); row++) {
        float[] now = Arrays.copyOfRange(layer.weight().value(), row * k, (row + 1) * k);
        float[] then = Arrays.copyOfRange(w0, row * k, (row + 1) * k);
        if (selection.isUnfrozen(layer.name(), row)) {
          assertThat(now).as("%s row %d trains", layer.name(), row).isNotEqualTo(then);
          trainedRows++;
        } else {
          assertThat(now).as("%s row %d frozen", layer.name(), row).containsExactly(then);
          assertThat(layer.weightStep().value()[row]).isEqualTo(s0[row]);
          frozenRows++;
        }
      }
    }
    assertThat(frozenRows).isGreaterThan(0);
    assertThat(trainedRows).isGreaterThan(0);
  }

  @ParameterizedTest
  @EnumSource(Model.class)
  void reselectionHappensEveryIntervalSamples(Model model) {
    Network net = model.quantized();
    RowSelector selector =
        new RowSelector(net, new MeanAbsImportanceMetric(), new CwpnFreezePolicy(0.25));
    // 48 samples per epoch in batches of 16, 3 epochs = 9 steps; re-select after 32 samples
    EfqatTrainer.Result r = train(model, net, selector, 32, 3);
    assertThat(r.steps()).isEqualTo(9);
    assertThat(r.selections()).isEqualTo(5); // steps 0, 2, 4, 6, 8
  }

  @ParameterizedTest
  @EnumSource(Model.class)
  void pZeroChangesNoWeightButTrainsTheCheapParameters(Model model) {
    Network net = model.quantized();
    Map<String, float[]> before = snapshot(net);
    train(
        model,
        net,
        new RowSelector(net, new MeanAbsImportanceMetric(), new NoneFreezePolicy()),
        16,
        3);
    for (Parameter p : net.parameters().values()) {
      float[] then = before.get(p.name());
      if (p.kind() == ParamKind.WEIGHT
          || p.kind() == ParamKind.WEIGHT_STEP
          || p.kind() == ParamKind.EMBEDDING) {
        assertThat(p.value()).as(p.name()).containsExactly(then);
      }
      if (p.kind() == ParamKind.BIAS
          || p.kind() == ParamKind.ACTIVATION_STEP
          || p.kind() == ParamKind.NORM_SCALE) {
        assertThat(p.value()).as(p.name()).isNotEqualTo(then);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Model.class)
  void sparseWeightGradientRowsEqualTheFullGradientRows(Model model) {
    Network full = model.quantized();
    Network sparse = model.quantized();
    InMemoryBatches data = model.data(3, 16, 16);
    float[] images = new float[16 * model.sampleSize];
    int[] labels = new int[16];
    data.startEpoch(0);
    data.next(images, labels);
    int[] rows = {1, 4, 6};
    for (WeightLayer l : sparse.weightLayers()) {
      l.setUnfrozenRows(Arrays.stream(rows).filter(r -> r < l.outChannels()).toArray());
    }
    for (Network net : List.of(full, sparse)) {
      net.zeroGrad();
      var logits = net.forward(images, 16, true);
      float[] z = backend.ops().toArray(logits.tensor());
      float[] g = new float[z.length];
      org.efqat.core.nn.SoftmaxCrossEntropy.lossAndGradient(z, labels, 16, 3, g);
      net.backward(
          new org.efqat.core.nn.Activation(backend.ops().fromArray(g, 16, 3), logits.shape()));
    }
    for (int i = 0; i < full.weightLayers().size(); i++) {
      WeightLayer f = full.weightLayers().get(i);
      WeightLayer s = sparse.weightLayers().get(i);
      int k = f.weight().rowSize();
      for (int row = 0; row < f.outChannels(); row++) {
        float[] fr = Arrays.copyOfRange(f.weight().grad(), row * k, (row + 1) * k);
        float[] sr = Arrays.copyOfRange(s.weight().grad(), row * k, (row + 1) * k);
        if (Arrays.binarySearch(rows, row) >= 0) {
          // The sparse GEMM multiplies the same numbers in another blocking order: equal up to
          // FP32 summation-order rounding.
          for (int j = 0; j < k; j++) {
            assertThat(sr[j])
                .as("%s row %d col %d", f.name(), row, j)
                .isCloseTo(
                    fr[j], org.assertj.core.data.Offset.offset(1e-5f + 1e-5f * Math.abs(fr[j])));
          }
          assertThat(s.weightStep().grad()[row])
              .isCloseTo(
                  f.weightStep().grad()[row],
                  org.assertj.core.data.Offset.offset(
                      1e-5f + 1e-4f * Math.abs(f.weightStep().grad()[row])));
        } else {
          assertThat(sr).as("%s frozen row %d", f.name(), row).containsOnly(0f);
          assertThat(s.weightStep().grad()[row]).isZero();
        }
      }
      assertThat(s.inputStep().grad()[0]).isEqualTo(f.inputStep().grad()[0]);
    }
  }
}
