package org.efqat.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.efqat.core.registry.ComponentRegistry;
import org.junit.jupiter.api.Test;

/** An explicit YAML null is an error that names the default, never a silent default. */
class ExplicitNullTest {
  private static final String VALID = ExperimentLoaderTest.VALID;

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
  void aNullForAKeyWithADefaultNamesTheDefault() {
    assertThat(errorOf(VALID.replace("seed: 7", "seed: ~")))
        .isEqualTo("x.yaml:3: seed is null; leave the key out for the default (0) or give a value");
    assertThat(
            errorOf(
                VALID.replace("dataset: test-patches", "dataset: test-patches\n  batchSize: null")))
        .isEqualTo(
            "x.yaml:9: data.batchSize is null; leave the key out for the default (128) or give"
                + " a value");
    assertThat(errorOf(VALID.replace("interval: 1024", "interval:")))
        .isEqualTo(
            "x.yaml:16: efqat.interval is null; leave the key out for the default (4096) or give"
                + " a value");
    assertThat(errorOf(VALID.replace("seed: 7", "seed: 7\ncheckpointEvery: null")))
        .isEqualTo(
            "x.yaml:4: checkpointEvery is null; leave the key out for the default (300s) or give"
                + " a value");
  }

  @Test
  void aNullComponentOptionNamesTheComponentsDefault() {
    assertThat(errorOf(VALID.replace("{type: lsq, bits: 4}", "{type: lsq, bits: null}")))
        .isEqualTo(
            "x.yaml:10: quantization.weights.bits is null; leave the key out for the default (8)"
                + " or give a value");
    assertThat(
            errorOf(VALID.replace("{type: sgd, lr: 0.01}", "{type: sgd, lr: 0.01, momentum: ~}")))
        .isEqualTo(
            "x.yaml:17: optimizer.momentum is null; leave the key out for the default (0.9) or"
                + " give a value");
    assertThat(
            errorOf(
                VALID.replace("{type: sgd, lr: 0.01}", "{type: sgd, lr: 0.01, warmupSteps: ~}")))
        .isEqualTo(
            "x.yaml:17: optimizer.warmupSteps is null; leave the key out for the default (0) or"
                + " give a value");
    assertThat(errorOf(VALID.replace("efqat:\n", "efqat:\n  importance: ~\n")))
        .isEqualTo(
            "x.yaml:13: efqat.importance is null; leave the key out for the default (mean-abs)"
                + " or give a value");
  }

  @Test
  void aNullForARequiredOrOptionalKeySaysWhatToDo() {
    assertThat(errorOf(VALID.replace("name: unit", "name: ~")))
        .isEqualTo("x.yaml:2: name is null; give a value (the key is required)");
    assertThat(errorOf(VALID.replace("architecture: test-cnn", "architecture: {type: ~}")))
        .isEqualTo("x.yaml:6: model.architecture.type is null; give a value (the key is required)");
    assertThat(
            errorOf(
                VALID.replace("architecture: test-cnn", "architecture: test-cnn\n  checkpoint:")))
        .isEqualTo("x.yaml:7: model.checkpoint is null; leave the key out or give a value");
  }

  @Test
  void aNullUnderAnUnknownKeyIsAnUnknownKey() {
    assertThat(errorOf(VALID.replace("seed: 7", "seed: 7\nsede: ~")))
        .startsWith("x.yaml:4: sede is not a known key; known keys here: ");
  }

  @Test
  void everyNullIsReportedWithOtherErrors() {
    assertThat(
            errorOf(
                VALID
                    .replace("seed: 7", "seed: ~")
                    .replace("interval: 1024", "interval: ~")
                    .replace("p: 0.1", "p: 1.5")))
        .isEqualTo(
            "x.yaml:3: seed is null; leave the key out for the default or give a value\n"
                + "x.yaml:15: efqat.freeze.p must be in [0, 1] (was 1.5)\n"
                + "x.yaml:16: efqat.interval is null; leave the key out for the default or give a"
                + " value");
  }

  @Test
  void aNullOverrideRestoresTheDefaultAndResolvedConfigsHoldNoNulls() throws Exception {
    ResolvedExperiment e = loader.parse(VALID, "x.yaml");
    Map<String, Object> values = new HashMap<>();
    values.put("seed", null);
    values.put("efqat.interval", null);
    ResolvedExperiment changed = loader.override(e, values, "--reset");
    assertThat(changed.config().seed()).isZero();
    assertThat(changed.config().efqat().interval()).isEqualTo(EfqatConfig.DEFAULT_INTERVAL);
    assertThat(changed.toYaml()).doesNotContain("null").doesNotContain("~");
    assertThat(e.toYaml()).doesNotContain("null").doesNotContain("~");
  }
}
