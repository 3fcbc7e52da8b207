package org.efqat.core.sweep;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.efqat.core.config.ResolvedExperiment;

/**
 * One experiment of a sweep.
 *
 * @param index the point's position in the sweep, from 0 (grid points first, last axis fastest,
 *     then the explicit points); also its Slurm array index
 * @param id its folder and name suffix, {@code p000}, {@code p001}, …
 * @param values the values the point sets, by YAML path of the resolved config, in sweep order
 * @param experiment the validated experiment: the base with {@code values} applied, named {@code
 *     <base name>-<id>}, with its run folder under the sweep's {@code points/}
 */
public record SweepPoint(
    int index, String id, Map<String, Object> values, ResolvedExperiment experiment) {
  /** Copies the values. */
  public SweepPoint {
    values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /**
   * @return the values as {@code path=value} joined by spaces, for tables and messages
   */
  public String describe() {
    return values.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(" "));
  }
}
