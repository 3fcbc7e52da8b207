package org.efqat.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.efqat.core.config.ExperimentLoader;
import org.efqat.core.config.ResolvedExperiment;
import org.efqat.core.registry.ComponentRegistry;
import org.efqat.core.train.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole experiment driven through the session API alone (no command-line class on this module's
 * class path): stages, run folder, typed metrics, resume after a crash in the middle of a training
 * stage with bit-identical results.
 */
class ExperimentSessionTest {
  static final String YAML =
      """
      version: 1
      name: session
      seed: 5
      backend: nd4j
      checkpointEvery: 3
      model: {architecture: test-cnn}
      data: {dataset: {type: test-patches, trainSamples: 96, testSamples: 48}, batchSize: 16}
      pretrain:
        epochs: 8
        optimizer: {type: sgd, lr: 0.05, momentum: 0.9}
      quantization:
        weights: {type: lsq, bits: 4}
        activations: {type: lsq-plus, bits: 8}
        calibration: {method: minmax, batches: 2, foldBatchNorm: false}
      efqat:
        freeze: {type: cwpn, p: 0.25}
        interval: 32
        epochs: 2
      optimizer: {type: adamw, lr: 0.002, schedule: {type: step, milestones: [0.5]}}
      """;

  @TempDir Path dir;

  private final ComponentRegistry registry = ComponentRegistry.loadDefault();

  private ResolvedExperiment experiment(String yaml) throws Exception {
    return new ExperimentLoader(registry).parse(yaml, "session.yaml");
  }

  private RunResult run(Path output, SessionListener listener) throws Exception {
    try (ExperimentSession s =
        Sessions.open(
            registry, experiment(YAML), SessionOptions.DEFAULT.withOutput(output), listener)) {
      return s.run();
    }
  }

  /** Opens a session on {@code yaml}, runs it, and returns what it threw (failing if nothing). */
  private Throwable runFailure(String yaml, SessionOptions options) throws Exception {
    try (ExperimentSession s =
        Sessions.open(registry, experiment(yaml), options, SessionListener.NONE)) {
      Throwable t = catchThrowable(s::run);
      assertThat(t).as("the run should have failed").isNotNull();
      return t;
    }
  }

  @Test
  void runsEveryStageAndWritesTypedMetricsThatReadBack() throws Exception {
    List<String> events = new ArrayList<>();
    RunResult r =
        run(
            dir,
            new SessionListener() {
              @Override
              public void finished(Stage stage, RunMetrics metrics) {
                events.add(stage.name());
              }
            });
    assertThat(events).containsExactly("PRETRAIN", "PTQ", "EFQAT");
    RunMetrics m = r.metrics();
    assertThat(m.fp().source()).isEqualTo("pretrained");
    assertThat(m.fp().test().accuracy()).isGreaterThan(0.8);
    assertThat(m.fp().training().steps()).isEqualTo(48);
    assertThat(m.ptq().calibration()).isEqualTo("minmax");
    assertThat(m.efqat().policy()).isEqualTo("cwpn");
    assertThat(m.efqat().policyOptions()).containsEntry("p", 0.25);
    RunMetrics.Training t = m.efqat().training();
    assertThat(t.steps()).isEqualTo(12);
    assertThat(t.samples()).isEqualTo(192);
    assertThat(t.losses()).hasSize(12);
    assertThat(t.timings().forwardMs()).hasSize(12);
    assertThat(t.timings().weightGradientMs()).hasSize(12); // the session profiles the backend
    assertThat(t.selections()).isEqualTo(6); // 192 samples, re-selected every 32
    assertThat(t.selectionHistory()).hasSize(6);
    assertThat(t.selectionHistory().get(1).samples()).isEqualTo(32);
    assertThat(t.selectionHistory().get(0).unfrozenRows()).containsKeys("c1", "c2", "fc");
    assertThat(t.meanUnfrozenFraction()).isBetween(0.25, 0.35);

    RunFolder folder = new RunFolder(r.folder());
    assertThat(folder.readMetrics()).isEqualTo(m);
    assertThat(folder.readState().completed())
        .containsExactly(Stage.PRETRAIN, Stage.PTQ, Stage.EFQAT);
    assertThat(r.folder().resolve("fp.safetensors")).isRegularFile();
    assertThat(r.folder().resolve("ptq.safetensors")).isRegularFile();
    assertThat(r.folder().resolve("efqat.safetensors")).isRegularFile();
    assertThat(r.folder().resolve("efqat.resume.safetensors")).doesNotExist();
    Provenance p =
        RunFolder.json()
            .readValue(r.folder().resolve(RunFolder.PROVENANCE).toFile(), Provenance.class);
    assertThat(p.backend().name()).isEqualTo("nd4j");
    assertThat(p.seed()).isEqualTo(5);
    assertThat(p.components())
        .anyMatch(c -> c.name().equals("test-cnn") && c.kind().equals("model"));

    // a second run finds everything done
    List<String> reused = new ArrayList<>();
    RunResult again =
        run(
            dir,
            new SessionListener() {
              @Override
              public void reused(Stage stage, String what) {
                reused.add(stage.name());
              }
            });
    assertThat(reused).containsExactly("PRETRAIN", "PTQ", "EFQAT");
    assertThat(again.metrics()).isEqualTo(m);
  }

  @Test
  void sharedStagesAreTakenFromAnotherRunFolderWithTheSameResult() throws Exception {
    RunResult original = run(dir.resolve("a"), SessionListener.NONE);
    List<String> reused = new ArrayList<>();
    SessionOptions shared =
        new SessionOptions(
            dir.resolve("b"),
            false,
            Stage.EFQAT,
            StopRequests.NEVER,
            new SharedStages(original.folder(), original.folder()));
    RunResult r;
    try (ExperimentSession s =
        Sessions.open(
            registry,
            experiment(YAML),
            shared,
            new SessionListener() {
              @Override
              public void reused(Stage stage, String what) {
                reused.add(stage + " " + what);
              }
            })) {
      r = s.run();
    }
    assertThat(reused)
        .containsExactly(
            "PRETRAIN shared stage " + original.folder(), "PTQ shared stage " + original.folder());
    assertThat(r.folder()).isNotEqualTo(original.folder());
    assertThat(r.folder().resolve("ptq.safetensors")).isRegularFile();
    // the restored PTQ network trains exactly as the calibrated one did
    assertThat(r.metrics().withoutTimings()).isEqualTo(original.metrics().withoutTimings());
  }

  @Test
  void aSharedStageThatHasNotRunIsAClearError() throws Exception {
    SessionOptions shared =
        new SessionOptions(
            dir.resolve("c"),
            false,
            Stage.EFQAT,
            StopRequests.NEVER,
            new SharedStages(dir.resolve("missing"), null));
    assertThat(runFailure(YAML, shared))
        .isInstanceOf(RunException.class)
        .hasMessageContaining("has not completed PRETRAIN");
  }

  @Test
  void aCrashInTheMiddleOfEachTrainingStageResumesToTheSameNumbersAndCheckpoints()
      throws Exception {
    Path reference = dir.resolve("reference");
    RunResult uninterrupted = run(reference, SessionListener.NONE);

    Path crashed = dir.resolve("crashed");
    for (Stage stage : List.of(Stage.PRETRAIN, Stage.EFQAT)) {
      int crashAt = stage == Stage.PRETRAIN ? 20 : 8; // checkpoints every 3 steps
      assertThatThrownBy(() -> run(crashed, crashingAt(stage, crashAt)))
          .hasMessage("simulated crash in " + stage);
      assertThat(crashed.resolve("session/" + stage.resumeFile())).isRegularFile();
    }
    List<Integer> resumedAt = new ArrayList<>();
    RunResult resumed =
        run(
            crashed,
            new SessionListener() {
              @Override
              public void resumed(Stage stage, int step) {
                resumedAt.add(step);
              }
            });
    assertThat(resumedAt).containsExactly(6);
    assertThat(resumed.metrics().withoutTimings())
        .isEqualTo(uninterrupted.metrics().withoutTimings());
    for (String file : List.of("fp.safetensors", "efqat.safetensors")) {
      assertThat(Files.readAllBytes(crashed.resolve("session/" + file)))
          .as(file)
          .isEqualTo(Files.readAllBytes(uninterrupted.folder().resolve(file)));
    }
    assertThat(crashed.resolve("session/efqat.resume.safetensors")).doesNotExist();
  }

  /** Throws from the progress listener of a stage once it starts the given step. */
  private static SessionListener crashingAt(Stage crashStage, int step) {
    return new SessionListener() {
      @Override
      public TrainingListener progress(Stage stage) {
        return new TrainingListener() {
          @Override
          public void onStep(int s, int total, double loss, double acc, double perSecond) {
            if (stage == crashStage && s == step) {
              throw new IllegalStateException("simulated crash in " + stage);
            }
          }
        };
      }
    };
  }

  @Test
  void aChangedConfigOrAMissingCheckpointIsRefusedWithTheFile() throws Exception {
    try (ExperimentSession s =
        Sessions.open(
            registry,
            experiment(YAML),
            new SessionOptions(dir, false, Stage.PRETRAIN, StopRequests.NEVER),
            SessionListener.NONE)) {
      s.run();
    }
    String changed = YAML.replace("p: 0.25", "p: 0.5");
    assertThat(runFailure(changed, SessionOptions.DEFAULT.withOutput(dir)))
        .isInstanceOf(RunException.class)
        .hasMessageContaining("holds a run of a different configuration")
        .hasMessageContaining("--fresh");
    Files.delete(dir.resolve("session/fp.safetensors"));
    assertThat(runFailure(YAML, SessionOptions.DEFAULT.withOutput(dir)))
        .isInstanceOf(RunException.class)
        .hasMessage(
            dir.resolve("session/fp.safetensors")
                + " is missing, but state.json says"
                + " stage PRETRAIN completed; pass --fresh to start over");
    Files.writeString(dir.resolve("session/fp.safetensors"), "not a checkpoint");
    assertThat(runFailure(YAML, SessionOptions.DEFAULT.withOutput(dir)))
        .hasMessageStartingWith(dir.resolve("session/fp.safetensors") + ": ")
        .hasMessageNotContaining("Exception");
    Files.writeString(dir.resolve("session/metrics.json"), "{}");
    assertThat(runFailure(YAML, SessionOptions.DEFAULT.withOutput(dir)))
        .isInstanceOf(RunException.class)
        .hasMessage(
            dir.resolve("session/metrics.json")
                + " has no results of stage PRETRAIN, which state.json says completed; pass"
                + " --fresh to start over");
    Files.writeString(dir.resolve("session/metrics.json"), "{\"fp\": 3}");
    assertThat(runFailure(YAML, new SessionOptions(dir, false, Stage.PRETRAIN, StopRequests.NEVER)))
        .isInstanceOf(RunException.class)
        .hasMessageStartingWith(
            dir.resolve("session/metrics.json") + " is not a valid" + " metrics.json");
  }

  @Test
  void aDivergingStageStopsNamingTheStepAndKeepsTheLastGoodCheckpoint() throws Exception {
    String exploding = YAML.replace("lr: 0.05, momentum: 0.9", "lr: 90.0, momentum: 0.9");
    assertThat(runFailure(exploding, SessionOptions.DEFAULT.withOutput(dir)))
        .isInstanceOf(RunDivergedException.class)
        .hasMessageStartingWith("stage PRETRAIN diverged at step ")
        .hasMessageContaining("; the stage is not marked complete; ")
        .hasMessageEndingWith(
            "lower the learning rate or change divergence.maxLoss, then run with --fresh");
    Path run = dir.resolve("session");
    assertThat(new RunFolder(run).readState().completed()).isEmpty();
    assertThat(run.resolve("fp.safetensors")).doesNotExist();

    // a bound on the loss stops a stage whose numbers are still finite
    String bounded = YAML + "divergence: {maxLoss: 0.5}\n";
    assertThat(runFailure(bounded, SessionOptions.DEFAULT.withOutput(dir.resolve("bounded"))))
        .isInstanceOf(RunDivergedException.class)
        .hasMessageStartingWith("stage PRETRAIN diverged at step 1: loss ")
        .hasMessageContaining(" exceeds divergence.maxLoss 0.5; ")
        .hasMessageContaining("it wrote no checkpoint");
  }

  @Test
  void askingForMoreSamplesThanTheDataHasIsAnError() throws Exception {
    ResolvedExperiment e =
        experiment(YAML.replace("batchSize: 16}", "batchSize: 16, trainSamples: 500}"));
    assertThatThrownBy(
            () -> Sessions.open(registry, e, SessionOptions.DEFAULT, SessionListener.NONE))
        .isInstanceOf(RunException.class)
        .hasMessage(
            "data.trainSamples is 500 but test-patches has only 96 training samples; leave it out"
                + " to use all of them");
  }

  @Test
  void moreCalibrationBatchesThanTheDataHasIsAnError() throws Exception {
    try (ExperimentSession s =
        Sessions.open(
            registry,
            experiment(YAML.replace("batches: 2", "batches: 7")),
            SessionOptions.DEFAULT.withOutput(dir),
            SessionListener.NONE)) {
      var net = s.newNetwork();
      assertThatThrownBy(() -> s.calibrate(net))
          .isInstanceOf(RunException.class)
          .hasMessage(
              "quantization.calibration.batches is 7 but the training data has only 6 batches of"
                  + " 16; lower it");
      net.release();
    }
  }

  @Test
  void everyFileOfARunFolderHasTheSamePermissions() throws Exception {
    RunResult r = run(dir, SessionListener.NONE);
    try (var files = Files.list(r.folder())) {
      assertThat(
              files
                  .map(
                      f -> {
                        try {
                          return Files.getPosixFilePermissions(f);
                        } catch (java.io.IOException e) {
                          throw new java.io.UncheckedIOException(e);
                        }
                      })
                  .distinct())
          .hasSize(1);
    }
  }

  @Test
  void anOutputFolderUnderARegularFileIsRefusedUpFront() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    assertThat(runFailure(YAML, SessionOptions.DEFAULT.withOutput(file.resolve("runs"))))
        .isInstanceOf(RunException.class)
        .hasMessage(
            file
                + " is a file, not a folder; the run folder "
                + file.resolve("runs/session")
                + " cannot be created there");
  }

  @Test
  void openingARunFolderRemovesTheTemporaryFilesOfAKilledWrite() throws Exception {
    Path run = Files.createDirectories(dir.resolve("session"));
    Files.writeString(run.resolve(".metrics.json123.tmp"), "half");
    Files.writeString(run.resolve(".efqat.resume.safetensors.tmp-77-abc-0"), "half");
    Files.writeString(run.resolve("notes.tmp.txt"), "a user's file");
    new RunFolder(run).open();
    try (var files = Files.list(run)) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactly("notes.tmp.txt");
    }
  }

  @Test
  void anUnavailableBackendFailsWithItsReason() throws Exception {
    ResolvedExperiment e = experiment(YAML.replace("backend: nd4j", "backend: unavailable-test"));
    assertThatThrownBy(
            () -> Sessions.open(registry, e, SessionOptions.DEFAULT, SessionListener.NONE))
        .isInstanceOf(RunException.class)
        .hasMessage(
            "backend 'unavailable-test' is unavailable: libtest.so: cannot open shared"
                + " object file");
  }
}
