package org.efqat.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.UncheckedIOException;
import org.efqat.api.backend.BackendProvider;
import org.efqat.api.freeze.FreezePolicyProvider;
import org.efqat.api.importance.ImportanceMetricProvider;
import org.efqat.api.quant.QuantizerProvider;

/**
 * A validated experiment: its config and every component bound to a registered provider.
 *
 * @param source the file it was read from, as given
 * @param config the config with defaults applied
 * @param backend {@code backend}
 * @param weightQuantizer {@code quantization.weights}
 * @param activationQuantizer {@code quantization.activations}
 * @param importance {@code efqat.importance}
 * @param freeze {@code efqat.freeze}
 */
public record ResolvedExperiment(
    String source,
    ExperimentConfig config,
    ResolvedComponent<BackendProvider<?>> backend,
    ResolvedComponent<QuantizerProvider<?>> weightQuantizer,
    ResolvedComponent<QuantizerProvider<?>> activationQuantizer,
    ResolvedComponent<ImportanceMetricProvider<?>> importance,
    ResolvedComponent<FreezePolicyProvider<?>> freeze) {

  /**
   * The config with every default spelled out, including each component's options: what a run
   * writes as {@code resolved-config.yaml}. Reading it back gives an equal config.
   *
   * @return the resolved config
   */
  public ExperimentConfig resolvedConfig() {
    ExperimentConfig c = config;
    QuantizationConfig q = c.quantization();
    EfqatConfig e = c.efqat();
    return new ExperimentConfig(
        c.version(),
        c.name(),
        c.seed(),
        backend.toSpec(),
        c.model(),
        c.data(),
        new QuantizationConfig(
            weightQuantizer.toSpec(),
            activationQuantizer.toSpec(),
            q.firstLayerBits(),
            q.lastLayerBits(),
            q.calibration()),
        new EfqatConfig(importance.toSpec(), freeze.toSpec(), e.interval(), e.epochs(),
            e.alwaysTrain()),
        c.optimizer(),
        c.pretrain(),
        c.output());
  }

  /** @return {@link #resolvedConfig()} as YAML */
  public String toYaml() {
    try {
      return Yaml.MAPPER.writeValueAsString(resolvedConfig());
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
