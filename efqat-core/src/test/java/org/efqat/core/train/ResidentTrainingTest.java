package org.efqat.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.efqat.core.config.AlwaysTrainConfig;
import org.efqat.core.freeze.CwpnFreezePolicy;
import org.efqat.core.importance.MeanAbsImportanceMetric;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.ParamKind;
import org.efqat.core.nn.Parameter;
import org.efqat.core.nn.TestBackends;
import org.efqat.core.profile.KernelProfile;
import org.efqat.core.profile.ProfilingBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Parameters and optimizer state stay on the backend during a stage (issue 13): after the first
 * step, a step moves the batch, the logits and their gradient and the small per-channel parameters
 * between heap and backend, never the weights or their gradient; and the parameters are back on the
 * heap when the stage ends.
 */
class ResidentTrainingTest {
  private static final Schedule CONSTANT = new ScheduleProviders.Constant().create(null, null);

  @ParameterizedTest
  @CsvSource({
    "nd4j, cnn",
    "nd4j-device-ops, cnn",
    "tf, cnn",
    "tf-device-kernels, cnn",
    "nd4j, transformer",
    "nd4j-device-ops, transformer",
    "tf, transformer",
    "tf-device-kernels, transformer"
  })
  void aStepMovesNoWeightsBetweenHeapAndBackend(String name, String model) {
    try (ProfilingBackend backend = new ProfilingBackend(TestBackends.byName(name))) {
      boolean cnn = model.equals("cnn");
      Network net = cnn ? TinyNets.cnn(backend, 3) : TinyNets.transformer(backend, 3);
      TinyNets.quantize(net, cnn ? TinyNets.data(1, 48, 16) : TinyNets.tokenData(1, 48, 16));
      long weightBytes = 0;
      for (Parameter p : net.parameters().values()) {
        if (p.kind() == ParamKind.WEIGHT || p.kind() == ParamKind.EMBEDDING) {
          weightBytes += 4L * p.size();
        }
      }
      KernelProfile profile = backend.profile();
      List<long[]> bytesAtStep = new ArrayList<>();
      List<java.util.Map<String, Long>> copiesAtStep = new ArrayList<>();
      TrainingListener listener =
          new TrainingListener() {
            @Override
            public void onStep(int step, int total, double loss, double acc, double rate) {
              bytesAtStep.add(new long[] {profile.bytesToBackend(), profile.bytesToHeap()});
              copiesAtStep.add(copiesOfWeights(net));
            }
          };
      for (Optimizer optimizer : List.of(new Sgd(0.9, true, 1e-4), new AdamW(0.9, 0.999, 0.01))) {
        bytesAtStep.clear();
        copiesAtStep.clear();
        new EfqatTrainer(
                net,
                optimizer,
                TrainableParameters.forEfqat(net, AlwaysTrainConfig.DEFAULT),
                new RowSelector(net, new MeanAbsImportanceMetric(), new CwpnFreezePolicy(0.25)),
                1_000_000,
                listener)
            .train(
                cnn ? TinyNets.data(2, 48, 8) : TinyNets.tokenData(2, 48, 8),
                1,
                LearningRateSchedule.of(0.05, 0, CONSTANT, 6));
        assertThat(bytesAtStep).hasSize(6);
        for (int s = 1; s < bytesAtStep.size(); s++) {
          assertThat(copiesAtStep.get(s))
              .as("%s %s, %s step %d: weight copies so far", name, model, optimizer, s)
              .isEqualTo(copiesAtStep.get(s - 1));
          long up = bytesAtStep.get(s)[0] - bytesAtStep.get(s - 1)[0];
          long down = bytesAtStep.get(s)[1] - bytesAtStep.get(s - 1)[1];
          if (!cnn) {
            continue; // the tiny encoder's weights are as small as its per-channel vectors
          }
          assertThat(up)
              .as("%s %s, %s step %d: bytes to the backend", name, model, optimizer, s)
              .isLessThan(weightBytes / 2);
          assertThat(down)
              .as("%s %s, %s step %d: bytes to the heap", name, model, optimizer, s)
              .isLessThan(weightBytes / 2);
        }
        for (Parameter p : net.parameters().values()) {
          assertThat(p.isResident()).as(p.name()).isFalse();
        }
        assertThat(NonFiniteValues.first(net, true)).isEmpty();
        assertThat(optimizer.state()).isNotEmpty();
      }
    }
  }

  /** SGD the way a plugin written against the heap would do it: through value() and grad(). */
  private static final class HeapSgd implements Optimizer {
    private final java.util.IdentityHashMap<Parameter, float[]> velocity =
        new java.util.IdentityHashMap<>();

    @Override
    public void step(List<Parameter> parameters, double lr) {
      for (Parameter p : parameters) {
        org.efqat.api.backend.ParameterKernels.sgd(
            org.efqat.api.backend.FloatAccess.of(p.value()),
            org.efqat.api.backend.FloatAccess.of(p.grad()),
            org.efqat.api.backend.FloatAccess.of(
                velocity.computeIfAbsent(p, k -> new float[k.size()])),
            RowUpdate.rows(p),
            p.rows(),
            p.rowSize(),
            lr,
            0.9,
            true,
            RowUpdate.decays(p) ? 1e-4 : 0,
            RowUpdate.floor(p));
      }
    }

    @Override
    public java.util.Map<String, float[]> state() {
      return java.util.Map.of();
    }

    @Override
    public void restoreState(java.util.Map<String, float[]> state, List<Parameter> parameters) {}
  }

  @ParameterizedTest
  @CsvSource({"nd4j", "nd4j-device-ops", "tf", "tf-device-kernels"})
  void aPluginOptimizerOnTheHeapTrainsExactlyAsTheResidentOne(String name) {
    try (var backend = TestBackends.byName(name)) {
      java.util.List<java.util.Map<String, float[]>> finals = new ArrayList<>();
      for (Optimizer optimizer : List.of(new Sgd(0.9, true, 1e-4), new HeapSgd())) {
        Network net = TinyNets.cnn(backend, 3);
        TinyNets.quantize(net, TinyNets.data(1, 48, 16));
        new EfqatTrainer(
                net,
                optimizer,
                TrainableParameters.forEfqat(net, AlwaysTrainConfig.DEFAULT),
                new RowSelector(net, new MeanAbsImportanceMetric(), new CwpnFreezePolicy(0.25)),
                16,
                null)
            .train(TinyNets.data(2, 48, 8), 1, LearningRateSchedule.of(0.05, 0, CONSTANT, 6));
        java.util.Map<String, float[]> values = new java.util.TreeMap<>();
        net.parameters().forEach((k, p) -> values.put(k, p.value().clone()));
        finals.add(values);
        net.release();
      }
      assertThat(finals.get(1).keySet()).isEqualTo(finals.get(0).keySet());
      finals.get(0).forEach((k, v) -> assertThat(finals.get(1).get(k)).as(k).containsExactly(v));
    }
  }

  /** Copies between heap and backend so far of every weight matrix and embedding table. */
  private static java.util.Map<String, Long> copiesOfWeights(Network net) {
    java.util.Map<String, Long> copies = new java.util.TreeMap<>();
    for (Parameter p : net.parameters().values()) {
      if (p.kind() == ParamKind.WEIGHT || p.kind() == ParamKind.EMBEDDING) {
        copies.put(p.name(), p.copies());
      }
    }
    return copies;
  }
}
