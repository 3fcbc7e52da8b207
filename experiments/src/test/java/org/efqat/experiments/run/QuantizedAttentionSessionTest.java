package org.efqat.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.efqat.core.config.ExperimentLoader;
import org.efqat.core.config.ResolvedExperiment;
import org.efqat.core.nn.ActivationFakeQuant;
import org.efqat.core.nn.Network;
import org.efqat.core.registry.ComponentRegistry;
import org.efqat.core.session.ExperimentSession;
import org.efqat.core.session.SessionListener;
import org.efqat.core.session.SessionOptions;
import org.efqat.core.session.Sessions;
import org.junit.jupiter.api.Test;

/**
 * {@code model.architecture: {type: bert, quantizeAttention: true}} from YAML through the session:
 * PTQ quantizes the attention matmuls' operands with {@code quantization.activations} at its own
 * bit width ({@code firstLayerBits}/{@code lastLayerBits} belong to the first and last Linear), and
 * EfQAT steps train their steps.
 */
class QuantizedAttentionSessionTest {
  private static final String YAML =
      """
      version: 1
      name: quantized-attention
      seed: 3
      backend: nd4j
      model: {architecture: {type: bert, preset: tiny, layers: 1, quantizeAttention: true}}
      data: {dataset: {type: random-tokens, length: 12, classes: 2, samples: 16}, batchSize: 8}
      quantization:
        weights: {type: lsq, bits: 4}
        activations: {type: lsq-plus, bits: 6}
        firstLayerBits: 8
        lastLayerBits: 8
        calibration: {method: minmax, batches: 2}
      efqat:
        freeze: {type: cwpn, p: 0.25}
        interval: 1000
      optimizer: {type: sgd, lr: 0.05, momentum: 0.9, schedule: constant}
      """;

  @Test
  void ptqQuantizesTheAttentionMatmulsAndEfqatTrainsThem() throws Exception {
    ComponentRegistry registry = ComponentRegistry.loadDefault();
    ResolvedExperiment experiment = new ExperimentLoader(registry).parse(YAML, "attention.yaml");
    try (ExperimentSession session =
        Sessions.open(registry, experiment, SessionOptions.DEFAULT, SessionListener.NONE)) {
      Network net = session.newNetwork();
      try {
        session.calibrate(net);
        Map<String, Float> steps = new LinkedHashMap<>();
        for (ActivationFakeQuant site : net.activationQuantizers()) {
          assertThat(site.isQuantized()).as(site.name()).isTrue();
          assertThat(site.quantizer().grid().qmax()).as(site.name()).isEqualTo(63); // 6 bits
          assertThat(site.step().value()[0]).as(site.name()).isPositive();
          steps.put(site.step().name(), site.step().value()[0]);
        }
        assertThat(steps.keySet())
            .containsExactly(
                "encoder.layer.0.attention.self.query_act.step",
                "encoder.layer.0.attention.self.key_act.step",
                "encoder.layer.0.attention.self.value_act.step",
                "encoder.layer.0.attention.self.probs_act.step");
        session.efqatSteps(net, 2);
        steps.forEach(
            (name, before) ->
                assertThat(net.parameters().get(name).value()[0]).as(name).isNotEqualTo(before));
      } finally {
        net.release();
      }
    }
  }
}
