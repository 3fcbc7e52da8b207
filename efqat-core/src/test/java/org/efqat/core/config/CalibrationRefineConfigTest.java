package org.efqat.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.efqat.core.ptq.AdaRoundConfig;
import org.efqat.core.ptq.BiasCorrectionConfig;
import org.efqat.core.registry.ComponentRegistry;
import org.junit.jupiter.api.Test;

/**
 * {@code quantization.calibration.refine}: a list of PTQ refinement components, resolved and
 * validated like {@code method}, each error naming the list entry's YAML path and line.
 */
class CalibrationRefineConfigTest {
  private static final String BASE =
      """
      version: 1
      name: unit
      backend: unavailable-test
      model: {architecture: test-cnn}
      data: {dataset: test-patches}
      quantization:
        weights: {type: lsq, bits: 4}
        activations: {type: lsq-plus, bits: 4}
        calibration:
          method: minmax
          batches: 16
          refine: REFINE
      efqat: {freeze: {type: cwpn, p: 0.1}}
      optimizer: {type: sgd, lr: 0.01}
      """;

  private final ExperimentLoader loader = new ExperimentLoader(ComponentRegistry.loadDefault());

  private ResolvedExperiment parse(String refine) throws ExperimentValidationException {
    return loader.parse(BASE.replace("REFINE", refine), "x.yaml");
  }

  private String errorOf(String refine) {
    try {
      parse(refine);
    } catch (ExperimentValidationException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected a validation error for refine: " + refine);
  }

  @Test
  void aListOfComponentsResolvesInOrderWithDefaults() throws Exception {
    ResolvedExperiment e = parse("[{type: adaround, iterations: 300}, bias-correction]");
    assertThat(e.config().quantization().calibration().refine())
        .containsExactly(
            new ComponentSpec("adaround", java.util.Map.of("iterations", 300)),
            ComponentSpec.of("bias-correction"));
    assertThat(e.refinements())
        .extracting(c -> c.provider().name())
        .containsExactly("adaround", "bias-correction");
    assertThat(e.refinements())
        .extracting(ResolvedComponent::path)
        .containsExactly(
            "quantization.calibration.refine[0]", "quantization.calibration.refine[1]");
    assertThat(e.refinements().get(0).config())
        .isEqualTo(new AdaRoundConfig(300, null, null, null, null, null, null, null));
    assertThat(e.refinements().get(1).config()).isEqualTo(new BiasCorrectionConfig(null));
  }

  @Test
  void noRefineMeansNone() throws Exception {
    ResolvedExperiment e = loader.parse(BASE.replace("    refine: REFINE\n", ""), "x.yaml");
    assertThat(e.config().quantization().calibration().refine()).isEmpty();
    assertThat(e.refinements()).isEmpty();
    assertThat(parse("[]").refinements()).isEmpty();
  }

  @Test
  void theResolvedConfigSpellsOutEveryOptionAndReadsBackEqual() throws Exception {
    ResolvedExperiment e = parse("[output-mse, {type: adaround, iterations: 300}]");
    String yaml = e.toYaml();
    assertThat(yaml).contains("- type: output-mse").contains("minFactor: 0.3");
    assertThat(yaml).contains("iterations: 300").contains("betaStart: 20.0");
    ResolvedExperiment back = loader.parse(yaml, "resolved.yaml");
    assertThat(back.resolvedConfig()).isEqualTo(e.resolvedConfig());
    assertThat(back.refinements().get(1).config()).isEqualTo(e.refinements().get(1).config());
  }

  @Test
  void anUnknownNameListsTheRegisteredRefinements() {
    assertThat(errorOf("[adaround, bias-corection]"))
        .startsWith(
            "x.yaml:12: quantization.calibration.refine[1].type 'bias-corection' is not a"
                + " registered ptq-refinement; available: adaround, bias-correction, output-mse");
  }

  @Test
  void aBadOptionNamesTheEntryAndTheKey() {
    assertThat(errorOf("[{type: adaround, iterations: 0}]"))
        .isEqualTo(
            "x.yaml:12: quantization.calibration.refine[0].iterations must be in [1, 10000000]"
                + " (was 0)");
    assertThat(errorOf("[bias-correction, {type: adaround, itertions: 5}]"))
        .startsWith(
            "x.yaml:12: quantization.calibration.refine[1].itertions is not a known key; known"
                + " keys here: batchSize, betaEnd, betaStart, iterations, lr,");
    assertThat(errorOf("[{type: output-mse, minFactor: 1.5}]"))
        .isEqualTo(
            "x.yaml:12: quantization.calibration.refine[0].minFactor must be in (0, 1] (was 1.5)");
  }

  @Test
  void anEntryThatIsNotAComponentNamesItsPath() {
    assertThat(errorOf("[{iterations: 5}]"))
        .isEqualTo("x.yaml:12: quantization.calibration.refine[0].type is required");
    assertThat(errorOf("adaround")).contains("quantization.calibration.refine").contains("list");
  }

  @Test
  void everyRefinementErrorIsReportedTogether() {
    String message =
        errorOf("[{type: adaround, lr: -1}, nope, {type: bias-correction, samples: 0}]");
    assertThat(List.of(message.split("\n")))
        .anyMatch(l -> l.contains("refine[0].lr must be a finite number > 0 (was -1.0)"))
        .anyMatch(l -> l.contains("refine[1].type 'nope' is not a registered ptq-refinement"))
        .anyMatch(l -> l.contains("refine[2].samples must be in [1, 10000000] (was 0)"));
  }
}
