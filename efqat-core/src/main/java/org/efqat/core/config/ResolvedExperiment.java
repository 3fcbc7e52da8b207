package org.efqat.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.efqat.api.backend.BackendProvider;
import org.efqat.api.freeze.FreezePolicyProvider;
import org.efqat.api.importance.ImportanceMetricProvider;
import org.efqat.api.quant.QuantizerProvider;
import org.efqat.core.data.DatasetProvider;
import org.efqat.core.model.ModelProvider;
import org.efqat.core.ptq.PtqRefinementProvider;
import org.efqat.core.ptq.RangeEstimatorProvider;
import org.efqat.core.train.OptimizerProvider;
import org.efqat.core.train.ScheduleProvider;

/**
 * A validated experiment: its config and every component it names bound to a registered provider
 * and that provider's validated config record, by YAML path ({@link ComponentSites}).
 *
 * @param source the file it was read from, as given
 * @param config the config with defaults applied
 * @param components every component by the YAML path of its section
 */
public record ResolvedExperiment(
    String source, ExperimentConfig config, Map<String, ResolvedComponent<?>> components) {

  /** Copies the map. */
  public ResolvedExperiment {
    Objects.requireNonNull(source, "source is null");
    Objects.requireNonNull(config, "config is null");
    components = Collections.unmodifiableMap(new LinkedHashMap<>(components));
  }

  @SuppressWarnings("unchecked")
  private <P extends org.efqat.api.spi.ComponentProvider<?, ?>> ResolvedComponent<P> at(
      String path) {
    ResolvedComponent<?> c = components.get(path);
    if (c == null) {
      throw new IllegalStateException(source + ": no component at " + path);
    }
    return (ResolvedComponent<P>) c;
  }

  /**
   * @return {@code backend}
   */
  public ResolvedComponent<BackendProvider<?>> backend() {
    return at(ComponentSites.BACKEND);
  }

  /**
   * @return {@code model.architecture}
   */
  public ResolvedComponent<ModelProvider<?>> model() {
    return at(ComponentSites.MODEL);
  }

  /**
   * @return {@code data.dataset}
   */
  public ResolvedComponent<DatasetProvider<?>> dataset() {
    return at(ComponentSites.DATASET);
  }

  /**
   * @return {@code quantization.weights}
   */
  public ResolvedComponent<QuantizerProvider<?>> weightQuantizer() {
    return at(ComponentSites.WEIGHTS);
  }

  /**
   * @return {@code quantization.activations}
   */
  public ResolvedComponent<QuantizerProvider<?>> activationQuantizer() {
    return at(ComponentSites.ACTIVATIONS);
  }

  /**
   * @return {@code quantization.calibration.method}
   */
  public ResolvedComponent<RangeEstimatorProvider<?>> calibration() {
    return at(ComponentSites.CALIBRATION);
  }

  /**
   * @return {@code quantization.calibration.refine}, in list order (empty when there is none)
   */
  public List<ResolvedComponent<PtqRefinementProvider<?>>> refinements() {
    int n = config.quantization().calibration().refine().size();
    List<ResolvedComponent<PtqRefinementProvider<?>>> list = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(at(ComponentSites.refine(i)));
    }
    return list;
  }

  /**
   * @return {@code efqat.importance}
   */
  public ResolvedComponent<ImportanceMetricProvider<?>> importance() {
    return at(ComponentSites.IMPORTANCE);
  }

  /**
   * @return {@code efqat.freeze}
   */
  public ResolvedComponent<FreezePolicyProvider<?>> freeze() {
    return at(ComponentSites.FREEZE);
  }

  /**
   * @return {@code optimizer} (the EfQAT stage's)
   */
  public ResolvedComponent<OptimizerProvider<?>> optimizer() {
    return at(ComponentSites.OPTIMIZER);
  }

  /**
   * @return {@code optimizer.schedule}
   */
  public ResolvedComponent<ScheduleProvider<?>> schedule() {
    return at(ComponentSites.SCHEDULE);
  }

  /**
   * @return {@code pretrain.optimizer}
   * @throws IllegalStateException if the experiment has no {@code pretrain} section
   */
  public ResolvedComponent<OptimizerProvider<?>> pretrainOptimizer() {
    return at(ComponentSites.PRETRAIN_OPTIMIZER);
  }

  /**
   * @return {@code pretrain.optimizer.schedule}
   * @throws IllegalStateException if the experiment has no {@code pretrain} section
   */
  public ResolvedComponent<ScheduleProvider<?>> pretrainSchedule() {
    return at(ComponentSites.PRETRAIN_SCHEDULE);
  }

  /**
   * The config with every default spelled out, including each component's options: what a run
   * writes as {@code resolved-config.yaml}. Reading it back gives an equal config.
   *
   * @return the resolved config
   */
  public ExperimentConfig resolvedConfig() {
    ObjectNode tree = Yaml.MAPPER.valueToTree(config);
    for (ComponentSites.Site site : ComponentSites.of(config)) {
      ResolvedComponent<?> c = components.get(site.path());
      if (c != null) {
        writeSpec(tree, site, c.toSpec());
      }
    }
    try {
      return Yaml.MAPPER.treeToValue(tree, ExperimentConfig.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the resolved config does not read back: " + e, e);
    }
  }

  /**
   * Replaces the component at a site with a spec, keeping the section's shared keys. A path whose
   * last key ends in {@code [i]} names an entry of a list.
   */
  static void writeSpec(ObjectNode tree, ComponentSites.Site site, ComponentSpec spec) {
    String[] keys = site.path().split("\\.", -1);
    ObjectNode parent = tree;
    for (int i = 0; i < keys.length - 1; i++) {
      parent = (ObjectNode) parent.get(keys[i]);
    }
    String last = keys[keys.length - 1];
    JsonNode specNode = Yaml.MAPPER.valueToTree(spec);
    int bracket = last.indexOf('[');
    if (bracket > 0 && last.endsWith("]")) {
      int index = Integer.parseInt(last.substring(bracket + 1, last.length() - 1));
      ((com.fasterxml.jackson.databind.node.ArrayNode) parent.get(last.substring(0, bracket)))
          .set(index, specNode);
      return;
    }
    if (site.sharedKeys().isEmpty()) {
      parent.set(last, specNode);
      return;
    }
    ObjectNode section = (ObjectNode) parent.get(last);
    for (Iterator<String> it = section.fieldNames(); it.hasNext(); ) {
      if (!site.sharedKeys().contains(it.next())) {
        it.remove();
      }
    }
    specNode.properties().forEach(e -> section.set(e.getKey(), e.getValue()));
  }

  /**
   * @return {@link #resolvedConfig()} as YAML
   */
  public String toYaml() {
    try {
      return Yaml.MAPPER.writeValueAsString(resolvedConfig());
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
