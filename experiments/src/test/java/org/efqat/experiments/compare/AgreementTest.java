package org.efqat.experiments.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.efqat.core.session.RunMetrics;
import org.junit.jupiter.api.Test;

/** {@link Agreement} and {@link ComparisonTable} on hand-made probe results. */
class AgreementTest {
  private static AgreementProbe.Result probe(
      String backend, float step, float[] conv2Raw, float[] conv2Quantized, float[] logits) {
    Map<String, float[]> calibrated = new LinkedHashMap<>();
    calibrated.put("conv1.weight", new float[] {1f, 2f});
    calibrated.put("conv2.input_step", new float[] {step});
    List<AgreementProbe.LayerInput> inputs =
        List.of(
            new AgreementProbe.LayerInput("conv1", new float[] {1f, 2f}, null, null, Float.NaN),
            new AgreementProbe.LayerInput(
                "conv2", conv2Raw, conv2Quantized, new float[] {1f, 1f}, 0.5f));
    return new AgreementProbe.Result(
        backend,
        calibrated,
        logits,
        inputs,
        logits,
        Map.of("conv1.weight", new float[] {logits[0]}),
        inputs,
        List.of(new AgreementProbe.LayerGradient("pool", "MaxPool2d", logits)));
  }

  @Test
  void identicalProbesAgreeAndNeedNoExplanation() {
    var a = probe("a", 0.5f, new float[] {0.2f, 0.8f}, new float[] {0f, 1f}, new float[] {1, 2});
    var b = probe("b", 0.5f, new float[] {0.2f, 0.8f}, new float[] {0f, 1f}, new float[] {1, 2});
    Agreement agreement = Agreement.of(a, b, 1e-4);
    assertThat(agreement.ptqWithin()).isTrue();
    assertThat(agreement.stepWithin()).isTrue();
    assertThat(agreement.totalFlips()).isZero();
    assertThat(agreement.explanation()).isEmpty();
  }

  @Test
  void aRoundingFlipIsFoundAndExplained() {
    // conv2's input 0.2500001 vs 0.2499999 rounds to different 0.5-steps: one flip.
    var a =
        probe(
            "nd4j",
            0.5f,
            new float[] {0.2500001f, 0.8f},
            new float[] {0.5f, 1f},
            new float[] {1f, 2f});
    var b =
        probe(
            "tf",
            0.50000006f,
            new float[] {0.2499999f, 0.8f},
            new float[] {0f, 1f},
            new float[] {1.01f, 2f});
    Agreement agreement = Agreement.of(a, b, 1e-4);
    assertThat(agreement.calibrationParameter()).isEqualTo("conv2.input_step");
    assertThat(agreement.calibration().maxRel()).isGreaterThan(0);
    assertThat(agreement.layers().get(1).flips()).isEqualTo(1);
    assertThat(agreement.ptqWithin()).isFalse();
    assertThat(agreement.explanation())
        .contains("every layer input agrees within the tolerance before quantization")
        .contains("1 of 4 quantized layer inputs land on a different level, first in conv2");

    Map<String, RunMetrics> metrics = new LinkedHashMap<>();
    metrics.put(
        "nd4j",
        RunMetrics.EMPTY.withFp(
            new RunMetrics.FpStage("pretrained", new RunMetrics.Evaluation(0.9, 0.3, 8), null)));
    metrics.put(
        "tf",
        RunMetrics.EMPTY.withFp(
            new RunMetrics.FpStage("pretrained", new RunMetrics.Evaluation(0.875, 0.3, 8), null)));
    ComparisonTable table = new ComparisonTable(metrics, List.of(agreement), 8);
    String text = table.toText();
    assertThat(text)
        .contains("90.00%")
        .contains("87.50%")
        .contains("EXCEEDS 1.0e-04")
        .contains("FLAGGED tf: logits after PTQ differ");
    assertThat(table.toMarkdown())
        .contains("| FP accuracy | 90.00% | 87.50% |")
        .contains("| --- | --- | --- |");
  }
}
