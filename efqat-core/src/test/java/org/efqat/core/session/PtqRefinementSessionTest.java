package org.efqat.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.efqat.core.checkpoint.Checkpoint;
import org.efqat.core.checkpoint.SafetensorsReader;
import org.efqat.core.config.ExperimentLoader;
import org.efqat.core.ptq.LayerReport;
import org.efqat.core.registry.ComponentRegistry;
import org.efqat.core.train.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PTQ refinements through the session: {@code refine: [adaround, bias-correction]} on the tiny CNN
 * runs after calibration, is recorded in the metrics (and read back), reports each layer to the
 * listener, and gives checkpoints (with the biases bias correction adds to {@code c1} and {@code
 * c2}) from which a resumed run restores the refined network, without refining again, and trains to
 * the same numbers.
 */
class PtqRefinementSessionTest {
  static final String YAML =
      """
      version: 1
      name: refined
      seed: 3
      backend: nd4j
      checkpointEvery: 3
      model: {architecture: test-cnn}
      data: {dataset: {type: test-patches, trainSamples: 96, testSamples: 48}, batchSize: 16}
      pretrain:
        epochs: 6
        optimizer: {type: sgd, lr: 0.05, momentum: 0.9}
      quantization:
        weights: {type: lsq, bits: 4}
        activations: {type: lsq-plus, bits: 4}
        calibration:
          method: minmax
          batches: 2
          foldBatchNorm: false
          refine:
            - {type: adaround, iterations: 30, samples: 32, batchSize: 8}
            - {type: bias-correction, samples: 32}
      efqat:
        freeze: {type: cwpn, p: 0.25}
        interval: 32
        epochs: 1
      optimizer: {type: adamw, lr: 0.002}
      """;

  @TempDir Path dir;

  private final ComponentRegistry registry = ComponentRegistry.loadDefault();

  private RunResult run(Path output, Stage until, SessionListener listener) throws Exception {
    try (ExperimentSession s =
        Sessions.open(
            registry,
            new ExperimentLoader(registry).parse(YAML, "refined.yaml"),
            new SessionOptions(output, false, until, StopRequests.NEVER),
            listener)) {
      return s.run();
    }
  }

  @Test
  void untilPtqRunsTheRefinementsInOrderAndRecordsThem() throws Exception {
    List<String> events = new ArrayList<>();
    RunResult r =
        run(
            dir,
            Stage.PTQ,
            new SessionListener() {
              @Override
              public void refined(String refinement, LayerReport layer) {
                events.add(refinement + " " + layer.layer());
              }
            });
    assertThat(events)
        .containsExactly(
            "adaround c1",
            "adaround c2",
            "adaround fc",
            "bias-correction c1",
            "bias-correction c2",
            "bias-correction fc");
    RunMetrics.PtqStage ptq = r.metrics().ptq();
    assertThat(ptq.calibration()).isEqualTo("minmax");
    assertThat(ptq.refinements())
        .extracting(RunMetrics.Refinement::name)
        .containsExactly("adaround", "bias-correction");
    assertThat(ptq.refinements().get(0).options())
        .containsEntry("iterations", 30)
        .containsEntry("lr", 0.001);
    assertThat(ptq.refinements().get(1).layers())
        .extracting(LayerReport::note)
        .containsExactly("bias added", "bias added", "");
    assertThat(ptq.refinements().get(0).layers())
        .allMatch(l -> l.mseAfter() <= l.mseBefore() && l.mseBefore() > 0);
    assertThat(ptq.calibrationSeconds()).isPositive();
    assertThat(r.metrics().efqat()).isNull();
    assertThat(new RunFolder(r.folder()).readMetrics()).isEqualTo(r.metrics());
    assertThat(r.metrics().withoutTimings().ptq().calibrationSeconds()).isNull();
  }

  @Test
  void aResumedEfqatStageLoadsTheRefinedNetworkToTheSameNumbers() throws Exception {
    Path reference = dir.resolve("reference");
    RunResult uninterrupted = run(reference, Stage.EFQAT, SessionListener.NONE);
    Checkpoint ckpt =
        SafetensorsReader.read(uninterrupted.folder().resolve("efqat.safetensors"), n -> true);
    assertThat(ckpt.tensors()).containsKeys("c1.bias", "c2.bias", "fc.bias");

    Path crashed = dir.resolve("crashed");
    assertThatThrownBy(() -> run(crashed, Stage.EFQAT, crashingInEfqatAt(4)))
        .hasMessage("simulated crash");
    assertThat(crashed.resolve("refined/" + Stage.EFQAT.resumeFile())).isRegularFile();
    List<String> reused = new ArrayList<>();
    List<String> refined = new ArrayList<>();
    RunResult resumed =
        run(
            crashed,
            Stage.EFQAT,
            new SessionListener() {
              @Override
              public void reused(Stage stage, String what) {
                reused.add(stage + " " + what);
              }

              @Override
              public void refined(String refinement, LayerReport layer) {
                refined.add(refinement);
              }
            });
    // the refined network (baked rounding, added biases) comes back from ptq.safetensors
    assertThat(reused).anyMatch(r -> r.startsWith("PTQ loaded ") && r.endsWith("ptq.safetensors"));
    assertThat(refined).isEmpty();
    assertThat(resumed.metrics().withoutTimings())
        .isEqualTo(uninterrupted.metrics().withoutTimings());
    assertThat(Files.readAllBytes(crashed.resolve("refined/efqat.safetensors")))
        .isEqualTo(Files.readAllBytes(uninterrupted.folder().resolve("efqat.safetensors")));
  }

  private static SessionListener crashingInEfqatAt(int step) {
    return new SessionListener() {
      @Override
      public TrainingListener progress(Stage stage) {
        return new TrainingListener() {
          @Override
          public void onStep(int s, int total, double loss, double acc, double perSecond) {
            if (stage == Stage.EFQAT && s == step) {
              throw new IllegalStateException("simulated crash");
            }
          }
        };
      }
    };
  }

  @Test
  void metricsWrittenBeforeRefinementsExistedStillRead() throws Exception {
    Path run = dir.resolve("old");
    Files.createDirectories(run);
    Files.writeString(
        run.resolve(RunFolder.METRICS),
        """
        {"ptq": {"calibration": "minmax",
                 "test": {"accuracy": 0.5, "loss": 1.0, "samples": 10}}}
        """);
    RunMetrics m = new RunFolder(run).readMetrics();
    assertThat(m.ptq().refinements()).isEmpty();
    assertThat(m.ptq().calibrationSeconds()).isNull();
    assertThat(m.ptq())
        .isEqualTo(new RunMetrics.PtqStage("minmax", new RunMetrics.Evaluation(0.5, 1.0, 10)));
  }
}
