package org.efqat.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.efqat.core.freeze.FractionConfig;
import org.efqat.core.quant.LsqConfig;
import org.efqat.core.registry.ComponentRegistry;
import org.efqat.core.train.SgdConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentLoaderTest {
  /** A complete experiment; tests edit one line of it. Line numbers matter below. */
  static final String VALID =
      """
      version: 1
      name: unit
      seed: 7
      backend: unavailable-test
      model:
        architecture: test-cnn
      data:
        dataset: test-patches
      quantization:
        weights: {type: lsq, bits: 4}
        activations: {type: lsq-plus, bits: 4}
      efqat:
        freeze:
          type: cwpn
          p: 0.1
        interval: 1024
      optimizer: {type: sgd, lr: 0.01}
      """;

  private final ExperimentLoader loader = new ExperimentLoader(ComponentRegistry.loadDefault());

  private String errorOf(String yaml) {
    try {
      loader.parse(yaml, "x.yaml");
    } catch (ExperimentValidationException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected a validation error for:\n" + yaml);
  }

  @Test
  void readsAValidFileAndAppliesDefaults() throws Exception {
    ResolvedExperiment e = loader.parse(VALID, "x.yaml");
    assertThat(e.config().name()).isEqualTo("unit");
    assertThat(e.config().seed()).isEqualTo(7L);
    assertThat(e.config().output()).isEqualTo("runs");
    assertThat(e.config().data().batchSize()).isEqualTo(128);
    assertThat(e.config().efqat().epochs()).isEqualTo(1.0);
    assertThat(e.config().efqat().interval()).isEqualTo(1024L);
    assertThat(e.config().optimizer().schedule()).isEqualTo(ComponentSpec.of("cosine"));
    assertThat(e.schedule().provider().name()).isEqualTo("cosine");
    assertThat(e.config().quantization().calibration().method())
        .isEqualTo(ComponentSpec.of("minmax"));
    assertThat(e.calibration().provider().name()).isEqualTo("minmax");
    assertThat(e.optimizer().config()).isEqualTo(new SgdConfig(null, null, null));
    assertThat(e.model().provider().name()).isEqualTo("test-cnn");
    assertThat(e.dataset().provider().name()).isEqualTo("test-patches");
    assertThat(e.config().checkpointEvery()).isEqualTo(CheckpointInterval.DEFAULT);
    assertThat(e.freeze().provider().name()).isEqualTo("cwpn");
    assertThat(e.freeze().config()).isEqualTo(new FractionConfig(0.1));
    assertThat(e.weightQuantizer().config()).isEqualTo(new LsqConfig(4));
    assertThat(e.importance().provider().name()).isEqualTo("mean-abs");
    assertThat(e.backend().provider().name()).isEqualTo("unavailable-test");
  }

  @Test
  void aFractionOutOfRangeNamesTheFileLineAndPath() {
    assertThat(errorOf(VALID.replace("p: 0.1", "p: 1.5")))
        .isEqualTo("x.yaml:15: efqat.freeze.p must be in [0, 1] (was 1.5)");
  }

  @Test
  void anUnknownKeyIsAnError() {
    assertThat(errorOf(VALID.replace("seed: 7", "seeds: 7")))
        .startsWith(
            "x.yaml:3: seeds is not a known key; known keys here: backend, checkpointEvery, data,");
    assertThat(errorOf(VALID.replace("  interval: 1024", "  intervall: 1024")))
        .startsWith("x.yaml:16: efqat.intervall is not a known key; known keys here: alwaysTrain,");
  }

  @Test
  void anUnknownKeyInAComponentsOptionsIsAnError() {
    assertThat(errorOf(VALID.replace("    p: 0.1", "    p: 0.1\n    q: 2")))
        .isEqualTo("x.yaml:16: efqat.freeze.q is not a known key; known keys here: p");
  }

  @Test
  void anUnknownTypeListsTheRegisteredOnes() {
    assertThat(errorOf(VALID.replace("type: cwpn", "type: oscillation")))
        .isEqualTo(
            "x.yaml:14: efqat.freeze.type 'oscillation' is not a registered freeze-policy;"
                + " available: all, cwpl, cwpn, lwpn, none, random (a plugin jar providing"
                + " FreezePolicyProvider may be missing from the class path)");
  }

  @Test
  void missingRequiredFieldsAreNamed() {
    assertThat(errorOf(VALID.replace("model:\n  architecture: test-cnn\n", "")))
        .isEqualTo("x.yaml: model is required");
    assertThat(errorOf(VALID.replace("    p: 0.1\n", "")))
        .isEqualTo("x.yaml:13: efqat.freeze.p is required");
    assertThat(errorOf(VALID.replace("{type: sgd, lr: 0.01}", "{type: sgd}")))
        .isEqualTo("x.yaml:17: optimizer.lr is required");
    assertThat(errorOf(VALID.replace("  freeze:\n    type: cwpn\n    p: 0.1\n", "")))
        .isEqualTo("x.yaml:12: efqat.freeze is required");
    assertThat(errorOf(VALID.replace("    type: cwpn\n", "")))
        .isEqualTo("x.yaml:13: efqat.freeze.type is required");
  }

  @Test
  void wrongTypesAndWordsAreNamed() {
    assertThat(errorOf(VALID.replace("seed: 7", "seed: seven")))
        .startsWith("x.yaml:3: seed must be an integer");
    assertThat(errorOf(VALID.replace("bits: 4}\n  activations", "bits: 4.5}\n  activations")))
        .startsWith("x.yaml:10: quantization.weights.bits must be an integer");
    assertThat(errorOf(VALID.replace("architecture: test-cnn", "architecture: vgg")))
        .isEqualTo(
            "x.yaml:6: model.architecture.type 'vgg' is not a registered model; available:"
                + " test-cnn (a plugin jar providing ModelProvider may be missing from the class path)");
    assertThat(errorOf(VALID.replace("{type: lsq, bits: 4}", "{type: lsq, bits: 9}")))
        .isEqualTo("x.yaml:10: quantization.weights.bits must be in [2, 8] (was 9)");
  }

  @Test
  void aCheckpointAndAPretrainSectionContradictEachOther() {
    String yaml =
        VALID.replace(
                "  architecture: test-cnn\n",
                "  architecture: test-cnn\n  checkpoint: fp.safetensors\n")
            + "pretrain: {epochs: 1, optimizer: {type: sgd, lr: 0.1}}\n";
    assertThat(errorOf(yaml))
        .isEqualTo(
            "x.yaml:19: pretrain must be left out when"
                + " model.checkpoint is given (the checkpoint is the FP model; pre-training would be"
                + " skipped)");
  }

  @Test
  void everyComponentErrorIsReportedAtOnce() {
    String yaml = VALID.replace("p: 0.1", "p: -1").replace("type: lsq-plus", "type: pact");
    assertThat(errorOf(yaml).split("\n"))
        .containsExactly(
            "x.yaml:11: quantization.activations.type 'pact' is not a registered quantizer;"
                + " available: fixed-ste, lsq, lsq-plus (a plugin jar providing QuantizerProvider"
                + " may be missing from the class path)",
            "x.yaml:15: efqat.freeze.p must be in [0, 1] (was -1)");
  }

  @Test
  void syntaxErrorsVersionsAndEmptyFiles() {
    assertThat(errorOf(VALID.replace("seed: 7", "seed: 'seven")))
        .startsWith("x.yaml:3: is not valid YAML");
    assertThat(errorOf(VALID.replace("seed: 7", "seed: [7]")))
        .isEqualTo("x.yaml:3: seed must be an integer (was a list)");
    assertThat(errorOf(VALID.replace("version: 1", "version: 2")))
        .isEqualTo("x.yaml:1: version must be 1, the schema this build reads (was 2)");
    assertThat(errorOf("")).isEqualTo("x.yaml: is empty; expected an experiment mapping");
    assertThat(errorOf(VALID + "seed: 8\n")).contains("x.yaml:").contains("seed");
  }

  @Test
  void aMissingFileIsAnErrorNotAStackTrace(@TempDir Path dir) {
    Path missing = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> loader.load(missing))
        .isInstanceOf(ExperimentValidationException.class)
        .hasMessageStartingWith(missing + ": cannot be read: ");
  }

  @Test
  void theResolvedConfigReadsBackEqual(@TempDir Path dir) throws Exception {
    ResolvedExperiment e = loader.parse(VALID, "x.yaml");
    String yaml = e.toYaml();
    assertThat(yaml).contains("p: 0.1").contains("bits: 4").contains("learnZeroPoint: true");
    Path file = dir.resolve("resolved-config.yaml");
    Files.writeString(file, yaml);
    ResolvedExperiment again = loader.load(file);
    assertThat(again.config()).isEqualTo(e.resolvedConfig());
    assertThat(again.resolvedConfig()).isEqualTo(e.resolvedConfig());
  }

  @Test
  void everyChoiceIsAComponentWithItsOwnOptions() {
    assertThat(errorOf(VALID.replace("{type: sgd, lr: 0.01}", "{type: sgd, lr: 0.01, momentm: 1}")))
        .isEqualTo(
            "x.yaml:17: optimizer.momentm is not a known key; known keys here: momentum,"
                + " nesterov, weightDecay (and lr, schedule, warmupSteps)");
    assertThat(errorOf(VALID.replace("{type: sgd, lr: 0.01}", "{type: rmsprop, lr: 0.01}")))
        .startsWith(
            "x.yaml:17: optimizer.type 'rmsprop' is not a registered optimizer;"
                + " available: adamw, sgd");
    assertThat(
            errorOf(
                VALID.replace(
                    "{type: sgd, lr: 0.01}",
                    "{type: sgd, lr: 0.01, schedule: {type: step, gamma: 2}}")))
        .isEqualTo("x.yaml:17: optimizer.schedule.gamma must be in (0, 1] (was 2.0)");
    assertThat(
            errorOf(
                VALID.replace(
                    "bits: 4}\n  activations",
                    "bits: 4}\n  calibration: {method: {type: percentile, percentile: 20}}\n  activations")))
        .isEqualTo(
            "x.yaml:11: quantization.calibration.method.percentile must be in (50, 100]"
                + " (was 20.0)");
    assertThat(
            errorOf(
                VALID.replace(
                    "dataset: test-patches",
                    "dataset: {type: test-patches," + " trainSamples: 0}")))
        .isEqualTo("x.yaml:8: data.dataset.trainSamples must be in [1, 100000] (was 0)");
    assertThat(errorOf(VALID.replace("seed: 7", "seed: 7\ncheckpointEvery: 5 minutes")))
        .isEqualTo(
            "x.yaml:4: checkpointEvery must be a number of steps or a time such as 30s,"
                + " 5m or 1h (was \"5 minutes\")");
  }

  @Test
  void overridesChangeValuesByPathAndAreValidatedAgain() throws Exception {
    ResolvedExperiment e = loader.parse(VALID, "x.yaml");
    ResolvedExperiment changed =
        loader.override(
            e,
            java.util.Map.of(
                "efqat.freeze.p", 0.5, "efqat.freeze.type", "cwpl", "checkpointEvery", 7),
            "sweep point 3");
    assertThat(changed.freeze().provider().name()).isEqualTo("cwpl");
    assertThat(changed.freeze().config()).isEqualTo(new FractionConfig(0.5));
    assertThat(changed.config().checkpointEvery()).isEqualTo(CheckpointInterval.everySteps(7));
    assertThat(changed.source()).isEqualTo("x.yaml");
    assertThatThrownBy(() -> loader.override(e, java.util.Map.of("efqat.freeze.p", 2), "--p"))
        .isInstanceOf(ExperimentValidationException.class)
        .hasMessageStartingWith("--p:")
        .hasMessageContaining("efqat.freeze.p must be in [0, 1]");
  }

  @Test
  void numbersThatDoNotFitAndComplexKeysAreNamedInWords() {
    assertThat(errorOf(VALID.replace("seed: 7", "seed: 99999999999999999999999")))
        .isEqualTo(
            "x.yaml:3: seed must be an integer that fits in [-9223372036854775808,"
                + " 9223372036854775807] (was 99999999999999999999999)");
    assertThat(errorOf(VALID.replace("{type: lsq, bits: 4}", "{type: lsq, bits: 999999999999}")))
        .isEqualTo(
            "x.yaml:10: quantization.weights.bits must be an integer that fits in [-2147483648,"
                + " 2147483647] (was 999999999999)");
    assertThat(
            errorOf(
                VALID.replace(
                    "{type: sgd, lr: 0.01}", "{type: sgd, lr: 0.01, warmupSteps: 99999999999999}")))
        .isEqualTo(
            "x.yaml:17: optimizer.warmupSteps must be an integer in [0, 2147483647] (was"
                + " 99999999999999)");
    assertThat(
            errorOf(VALID.replace("{type: sgd, lr: 0.01}", "{type: sgd, lr: 0.01, schedule: [1]}")))
        .startsWith("x.yaml:17: optimizer.schedule.type is required");
    assertThat(errorOf(VALID.replace("seed: 7", "? [a]\n: 7")))
        .isEqualTo(
            "x.yaml:3: is not valid YAML: a key must be a plain name, not a list or a mapping");
  }
}
