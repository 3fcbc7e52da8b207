package org.efqat.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.efqat.core.registry.ComponentKind;

/**
 * Where an experiment names components: every YAML path that holds a {@link ComponentSpec}, with
 * its kind. The loader resolves exactly these, and the resolved config writes each one back with
 * every option spelled out.
 */
public final class ComponentSites {
  /** {@code backend}. */
  public static final String BACKEND = "backend";

  /** {@code model.architecture}. */
  public static final String MODEL = "model.architecture";

  /** {@code data.dataset}. */
  public static final String DATASET = "data.dataset";

  /** {@code quantization.weights}. */
  public static final String WEIGHTS = "quantization.weights";

  /** {@code quantization.activations}. */
  public static final String ACTIVATIONS = "quantization.activations";

  /** {@code quantization.calibration.method}. */
  public static final String CALIBRATION = "quantization.calibration.method";

  /** {@code quantization.calibration.refine}: a list, one site per entry ({@link #refine(int)}). */
  public static final String REFINE = "quantization.calibration.refine";

  /** {@code efqat.importance}. */
  public static final String IMPORTANCE = "efqat.importance";

  /** {@code efqat.freeze}. */
  public static final String FREEZE = "efqat.freeze";

  /** {@code optimizer} (the section: its {@code type} and the optimizer's own keys). */
  public static final String OPTIMIZER = "optimizer";

  /** {@code optimizer.schedule}. */
  public static final String SCHEDULE = "optimizer.schedule";

  /** {@code pretrain.optimizer}. */
  public static final String PRETRAIN_OPTIMIZER = "pretrain.optimizer";

  /** {@code pretrain.optimizer.schedule}. */
  public static final String PRETRAIN_SCHEDULE = "pretrain.optimizer.schedule";

  /**
   * One place a component is named.
   *
   * @param path the YAML path of its section
   * @param kind what kind of component it is
   * @param spec where to find it in a config ({@code null} when the optional section is absent)
   * @param sharedKeys keys of the same section that are not the component's own options (an
   *     optimizer section also holds {@code lr}, {@code schedule} and {@code warmupSteps}); empty
   *     when the section is the component's alone
   */
  public record Site(
      String path,
      ComponentKind kind,
      Function<ExperimentConfig, ComponentSpec> spec,
      Set<String> sharedKeys) {}

  private ComponentSites() {}

  /**
   * @param config a config
   * @return the sites present in it, in file order
   */
  public static List<Site> of(ExperimentConfig config) {
    List<Site> sites = new ArrayList<>();
    sites.add(site(BACKEND, ComponentKind.BACKEND, ExperimentConfig::backend));
    sites.add(site(MODEL, ComponentKind.MODEL, c -> c.model().architecture()));
    sites.add(site(DATASET, ComponentKind.DATASET, c -> c.data().dataset()));
    if (config.pretrain() != null) {
      sites.add(
          new Site(
              PRETRAIN_OPTIMIZER,
              ComponentKind.OPTIMIZER,
              c -> c.pretrain().optimizer().spec(),
              OptimizerConfig.COMMON_KEYS));
      sites.add(
          site(
              PRETRAIN_SCHEDULE, ComponentKind.SCHEDULE, c -> c.pretrain().optimizer().schedule()));
    }
    sites.add(site(WEIGHTS, ComponentKind.QUANTIZER, c -> c.quantization().weights()));
    sites.add(site(ACTIVATIONS, ComponentKind.QUANTIZER, c -> c.quantization().activations()));
    sites.add(
        site(CALIBRATION, ComponentKind.CALIBRATION, c -> c.quantization().calibration().method()));
    int refinements = config.quantization().calibration().refine().size();
    for (int i = 0; i < refinements; i++) {
      int at = i;
      sites.add(
          site(
              refine(i),
              ComponentKind.PTQ_REFINEMENT,
              c -> c.quantization().calibration().refine().get(at)));
    }
    sites.add(site(IMPORTANCE, ComponentKind.IMPORTANCE, c -> c.efqat().importance()));
    sites.add(site(FREEZE, ComponentKind.FREEZE_POLICY, c -> c.efqat().freeze()));
    sites.add(
        new Site(
            OPTIMIZER,
            ComponentKind.OPTIMIZER,
            c -> c.optimizer().spec(),
            OptimizerConfig.COMMON_KEYS));
    sites.add(site(SCHEDULE, ComponentKind.SCHEDULE, c -> c.optimizer().schedule()));
    return sites;
  }

  /**
   * @param index an entry of {@code quantization.calibration.refine}
   * @return its YAML path, {@code quantization.calibration.refine[index]}
   */
  public static String refine(int index) {
    return REFINE + "[" + index + "]";
  }

  private static Site site(
      String path, ComponentKind kind, Function<ExperimentConfig, ComponentSpec> spec) {
    return new Site(path, kind, spec, Set.of());
  }
}
