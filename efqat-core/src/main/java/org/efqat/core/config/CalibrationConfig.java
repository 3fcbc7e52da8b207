package org.efqat.core.config;

import java.util.List;
import org.efqat.api.spi.ConfigValueException;

/**
 * {@code quantization.calibration:} PTQ range calibration (DESIGN.md 1.3).
 *
 * @param method the range estimator component, for example {@code minmax}, {@code mse} or {@code
 *     {type: percentile, percentile: 99.99}}; default {@code minmax}
 * @param batches training batches observed; default {@value #DEFAULT_BATCHES}
 * @param foldBatchNorm fold BatchNorm into the preceding conv before quantizing (the deployed
 *     form); default {@code true}
 * @param refine PTQ refinements run after range calibration, in this order, each a component
 *     ({@code ptq-refinement}), for example {@code [{type: adaround, iterations: 2000},
 *     bias-correction]}; default none
 */
public record CalibrationConfig(
    ComponentSpec method, Integer batches, Boolean foldBatchNorm, List<ComponentSpec> refine) {
  /** The default method. */
  public static final String DEFAULT_METHOD = "minmax";

  /** The default number of calibration batches. */
  public static final int DEFAULT_BATCHES = 4;

  /** The defaults. */
  public static final CalibrationConfig DEFAULT = new CalibrationConfig(null, null, null, null);

  /** Validates and applies defaults. */
  public CalibrationConfig {
    method = Choices.orDefault(method, ComponentSpec.of(DEFAULT_METHOD));
    batches = Choices.orDefault(batches, DEFAULT_BATCHES);
    ConfigValueException.requireInRange("batches", batches, 1, 1_000_000);
    foldBatchNorm = Choices.orDefault(foldBatchNorm, true);
    refine = refine == null ? List.of() : List.copyOf(refine);
  }
}
