package org.efqat.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EfqatCliTest {
  @TempDir Path dir;

  private static CliResult run(String... args) {
    return CliResult.run(args);
  }

  @Test
  void listComponentsPrintsEveryBuiltInWithItsClassAndJar() {
    CliResult r = run("list-components");
    assertThat(r.exit()).isZero();
    for (String name :
        new String[] {
          "mean-abs",
          "cwpl",
          "cwpn",
          "lwpn",
          "all",
          "none",
          "random",
          "lsq",
          "lsq-plus",
          "fixed-ste",
          "adaround",
          "bias-correction",
          "output-mse",
          "nd4j",
          "tf"
        }) {
      assertThat(r.out())
          .containsPattern("(?m)^\\S+\\s+" + name + "\\s+org\\.efqat\\.\\S+Provider\\s+\\S+");
    }
    assertThat(r.out())
        .contains("org.efqat.backend.nd4j.Nd4jBackendProvider")
        .contains("org.efqat.backend.tf.TfBackendProvider")
        .contains("efqat-backend-nd4j")
        .contains("efqat-backend-tf");
  }

  @Test
  void listComponentsFiltersByKind() {
    CliResult r = run("list-components", "--kind", "BACKEND");
    assertThat(r.out()).contains("nd4j").contains("tf").doesNotContain("cwpn");
  }

  @Test
  void validateAcceptsTheShippedExperiments() {
    CliResult r = run("validate", ".");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("ok       ./quickstart.yaml").contains("0 invalid");
  }

  private static final String GOOD =
      """
      version: 1
      name: cli
      backend: nd4j
      model: {architecture: cnn}
      data: {dataset: synthetic}
      quantization:
        weights: {type: lsq, bits: 4}
        activations: {type: lsq-plus, bits: 4}
      efqat:
        freeze: {type: cwpn, p: 0.5}
      optimizer: {type: sgd, lr: 0.1}
      """;

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "unknown key     | 'name: cli'        | 'name: cli\\nnmae: x'       | bad.yaml:3: nmae is not a known key",
        "unknown type    | 'type: cwpn'       | 'type: oscillation'         | bad.yaml:10: efqat.freeze.type 'oscillation' is not a registered freeze-policy; available: all, cwpl",
        "missing field   | 'name: cli'        | ''                          | bad.yaml: name is required",
        "p out of range  | 'p: 0.5'           | 'p: 1.5'                    | bad.yaml:10: efqat.freeze.p must be in [0, 1] (was 1.5)",
        "unknown backend | 'backend: nd4j'    | 'backend: torch'            | bad.yaml:3: backend.type 'torch' is not a registered backend; available: nd4j, tf",
      })
  void validateRejectsABadFileWithExitTwoAndTheYamlPath(
      String what, String from, String to, String expected) throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, GOOD.replace(from, to.replace("\\n", "\n")));
    CliResult r = run("validate", bad.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).contains("INVALID").contains("1 invalid");
    assertThat(r.err()).startsWith(dir + "/" + expected);
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void validateReportsEveryFileAndFailsIfAnyIsInvalid() throws Exception {
    Path good = dir.resolve("a.yaml");
    Path bad = dir.resolve("b.yaml");
    Files.writeString(good, GOOD);
    Files.writeString(bad, GOOD.replace("lr: 0.1", "lr: -1"));
    CliResult r = run("validate", good.toString(), bad.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out())
        .contains("ok       " + good)
        .contains("INVALID  " + bad)
        .contains("2 files checked, 1 invalid");
    assertThat(r.err()).isEqualTo(bad + ":11: optimizer.lr must be in (0, 100) (was -1.0)\n");
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(run("validate").exit()).isEqualTo(2);
    assertThat(run("no-such-command").exit()).isEqualTo(2);
  }
}
