package org.efqat.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.efqat.core.config.ExperimentLoader;
import org.efqat.core.config.ResolvedExperiment;
import org.efqat.core.registry.ComponentRegistry;
import org.efqat.core.session.RunFolder;
import org.efqat.core.session.RunMetrics;
import org.efqat.core.session.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code efqat run} end to end on a small synthetic task: files, metrics, resume, errors. */
class RunCommandTest {
  @TempDir Path dir;

  private static final String EXPERIMENT =
      """
      version: 1
      name: tiny
      seed: 3
      backend: nd4j
      model: {architecture: {type: mlp, width: 32}}
      data: {dataset: synthetic, batchSize: 32, trainSamples: 512, testSamples: 256}
      pretrain:
        epochs: 2
        optimizer: {type: sgd, lr: 0.05}
      quantization:
        weights: {type: lsq, bits: 4}
        activations: {type: lsq-plus, bits: 4}
        lastLayerBits: 8
      efqat:
        freeze: {type: cwpn, p: 0.25}
        interval: 128
      optimizer: {type: sgd, lr: 0.01}
      """;

  private CliResult run(String yaml, String... extra) throws Exception {
    Path file = dir.resolve("tiny.yaml");
    Files.writeString(file, yaml);
    String[] args = new String[3 + extra.length];
    args[0] = "run";
    args[1] = file.toString();
    args[2] = "--output=" + dir.resolve("runs");
    System.arraycopy(extra, 0, args, 3, extra.length);
    return CliResult.run(args);
  }

  @Test
  void runsEveryStageWritesTheRunFolderAndResumes() throws Exception {
    CliResult first = run(EXPERIMENT);
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out())
        .contains("FP accuracy")
        .contains("PTQ accuracy")
        .contains("EfQAT accuracy")
        .contains("EfQAT - PTQ:");
    Path runDir = dir.resolve("runs/tiny");
    RunMetrics metrics = new RunFolder(runDir).readMetrics();
    assertThat(metrics.fp().test().accuracy()).isGreaterThan(0.5);
    assertThat(metrics.ptq().test().accuracy()).isBetween(0.0, 1.0);
    assertThat(metrics.efqat().test().accuracy()).isBetween(0.0, 1.0);
    RunMetrics.Training efqat = metrics.efqat().training();
    assertThat(efqat.meanUnfrozenFraction()).isBetween(0.25, 0.27);
    assertThat(efqat.timings().forwardMs()).hasSize(efqat.steps());
    assertThat(efqat.timings().backwardMs()).hasSize(efqat.steps());
    assertThat(efqat.selections()).isEqualTo(4); // 512 samples, every 128
    assertThat(runDir.resolve("fp.safetensors")).exists();
    assertThat(runDir.resolve("efqat.safetensors")).exists();
    JsonNode provenance = new ObjectMapper().readTree(runDir.resolve("provenance.json").toFile());
    assertThat(provenance.get("backend").get("name").asText()).isEqualTo("nd4j");
    assertThat(provenance.get("seed").asLong()).isEqualTo(3);
    assertThat(provenance.get("components").toString()).contains("cwpn");

    ResolvedExperiment again =
        new ExperimentLoader(ComponentRegistry.loadDefault())
            .load(runDir.resolve("resolved-config.yaml"));
    ResolvedExperiment original =
        new ExperimentLoader(ComponentRegistry.loadDefault()).parse(EXPERIMENT, "tiny.yaml");
    assertThat(again.config()).isEqualTo(original.resolvedConfig());

    CliResult second = run(EXPERIMENT);
    assertThat(second.exit()).isZero();
    assertThat(second.out()).contains("pretrain done earlier").doesNotContain("EfQAT accuracy");
    assertThat(new RunFolder(runDir).readMetrics()).isEqualTo(metrics);
  }

  @Test
  void stopsAfterAStageAndContinuesFromIt() throws Exception {
    CliResult ptqOnly = run(EXPERIMENT, "--until", "PTQ");
    assertThat(ptqOnly.exit()).as(ptqOnly.err()).isZero();
    RunMetrics m = new RunFolder(dir.resolve("runs/tiny")).readMetrics();
    assertThat(m.ptq()).isNotNull();
    assertThat(m.efqat()).isNull();
    CliResult rest = run(EXPERIMENT);
    assertThat(rest.out())
        .contains("pretrain done earlier")
        .contains("EfQAT accuracy")
        .doesNotContain("PTQ accuracy");
  }

  @Test
  void ptqRefinementsPrintALinePerLayerAndTheSummaryNamesThem() throws Exception {
    CliResult r =
        run(
            EXPERIMENT.replace(
                "  lastLayerBits: 8\n",
                "  lastLayerBits: 8\n  calibration:\n    refine: [{type: adaround, iterations:"
                    + " 10, samples: 64}, bias-correction]\n"),
            "--until",
            "PTQ");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .containsPattern(
            "(?m)^  ptq      adaround \\S+: output MSE \\S+ -> \\S+ \\(\\d+\\.\\d s\\)")
        .containsPattern("(?m)^  ptq      bias-correction \\S+: output MSE ")
        .containsPattern("calibration minmax \\+ adaround, bias-correction, \\d+\\.\\d s");
    RunMetrics m = new RunFolder(dir.resolve("runs/tiny")).readMetrics();
    assertThat(m.ptq().refinements())
        .extracting(RunMetrics.Refinement::name)
        .containsExactly("adaround", "bias-correction");
  }

  @Test
  void aChangedConfigInTheSameFolderIsRefusedUnlessFresh() throws Exception {
    assertThat(run(EXPERIMENT, "--until", "PRETRAIN").exit()).isZero();
    String changed = EXPERIMENT.replace("p: 0.25", "p: 0.5");
    CliResult refused = run(changed);
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err())
        .contains("holds a run of a different configuration")
        .contains("--fresh")
        .doesNotContain("\tat ");
    assertThat(run(changed, "--fresh", "--until", "PRETRAIN").exit()).isZero();
  }

  @Test
  void anInvalidFileExitsTwoWithThePath() throws Exception {
    CliResult r = run(EXPERIMENT.replace("p: 0.25", "p: 1.5"));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("tiny.yaml:15: efqat.freeze.p must be in [0, 1] (was 1.5)");
  }

  @Test
  void aDivergingRunExitsThreeNamingTheStep() throws Exception {
    CliResult r =
        run(
            EXPERIMENT.replace(
                "optimizer: {type: sgd, lr: 0.01}", "optimizer: {type: sgd, lr: 90.0}"));
    assertThat(r.exit()).as(r.out()).isEqualTo(EfqatCli.EXIT_DIVERGED);
    assertThat(r.err())
        .contains("efqat: error: stage EFQAT diverged at step ")
        .contains("the stage is not marked complete")
        .doesNotContain("\tat ");
    assertThat(new RunFolder(dir.resolve("runs/tiny")).readState().completed())
        .containsExactly(Stage.PRETRAIN, Stage.PTQ);
    assertThat(dir.resolve("runs/tiny/efqat.safetensors")).doesNotExist();
  }

  @Test
  void aDataPathThatDoesNotExistStopsBeforeAnyTraining() throws Exception {
    Path missing = dir.resolve("no-such-folder");
    CliResult r =
        run(
            EXPERIMENT.replace(
                "dataset: synthetic", "dataset: {type: fashion-mnist, path: '" + missing + "'}"));
    assertThat(r.exit()).isEqualTo(EfqatCli.EXIT_FAILURE);
    assertThat(r.err())
        .contains(
            "efqat: error: fashion-mnist: data.dataset.path "
                + missing
                + " is missing (no such folder); nothing else is tried when a folder is named");
    assertThat(dir.resolve("runs/tiny")).doesNotExist();
  }
}
