package org.efqat.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.ToIntFunction;

/**
 * An experiment file that declares a {@code sweep:} section, as read by {@link
 * ExperimentLoader#loadSweep}: the base experiment (the file without its sweep section, validated)
 * and the section itself, for {@code org.efqat.core.sweep.SweepPlan} to expand.
 *
 * @param base the base experiment
 * @param sweep the {@code sweep:} section as parsed (any JSON shape; the expansion checks it)
 * @param lines the file's line of a YAML path such as {@code sweep.efqat.freeze.p}, 0 when unknown
 */
public record SweepDocument(ResolvedExperiment base, JsonNode sweep, ToIntFunction<String> lines) {
  /**
   * @param path a YAML path in the file
   * @return its 1-based line, 0 when unknown
   */
  public int lineOf(String path) {
    return lines.applyAsInt(path);
  }
}
