package org.efqat.experiments.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.efqat.core.sweep.PointStatus;

/**
 * One run of a study: a sweep point or a run folder, with what its config says and what it
 * measured.
 *
 * @param id its name in the report: the sweep point's id ({@code p007}) or the run folder's name
 * @param folder its run folder relative to the report's input folder, with {@code /} separators
 * @param values the values it sets by YAML path: a sweep point's swept values, or for a run folder
 *     the values of {@link RunFacts#PATHS} its config states
 * @param status where it stands
 * @param facts what its resolved config says, or {@code null} when it has no config yet
 * @param fpAccuracy FP top-1 test accuracy in [0, 1], or {@code null}
 * @param ptqAccuracy PTQ test accuracy in [0, 1], or {@code null}
 * @param efqatAccuracy EfQAT test accuracy in [0, 1], or {@code null}
 * @param unfrozenFraction the fraction of weight rows EfQAT trained, mean over steps, in [0, 1]
 * @param backwardMs the EfQAT stage's median backward time per step, in milliseconds
 * @param otherCpuShare the share of the machine's CPU time other processes used during the EfQAT
 *     stage's steps, in [0, 1], or {@code null} when not recorded
 * @param error why its last attempt failed, or {@code null}
 * @param hasConfig whether the run folder holds {@code resolved-config.yaml}
 * @param hasProvenance whether it holds {@code provenance.json}
 */
public record ReportPoint(
    String id,
    String folder,
    Map<String, Object> values,
    PointStatus status,
    RunFacts facts,
    Double fpAccuracy,
    Double ptqAccuracy,
    Double efqatAccuracy,
    Double unfrozenFraction,
    Double backwardMs,
    Double otherCpuShare,
    String error,
    boolean hasConfig,
    boolean hasProvenance) {
  /** Checks and copies. */
  public ReportPoint {
    Objects.requireNonNull(id, "id is null");
    Objects.requireNonNull(folder, "folder is null");
    Objects.requireNonNull(status, "status is null");
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /**
   * @return whether it finished its EfQAT stage and has an accuracy to plot
   */
  public boolean done() {
    return status == PointStatus.DONE && efqatAccuracy != null;
  }

  /**
   * @return the swept values its facts do not cover (e.g. {@code optimizer.lr}), as text: extra
   *     dimensions that keep points apart
   */
  public Map<String, String> extras() {
    Map<String, String> m = new LinkedHashMap<>();
    values.forEach(
        (k, v) -> {
          if (!RunFacts.PATHS.contains(k)) {
            m.put(k, String.valueOf(v));
          }
        });
    return m;
  }

  /**
   * @return the values as {@code path=value} joined by spaces
   */
  public String describe() {
    StringBuilder b = new StringBuilder();
    values.forEach((k, v) -> b.append(b.length() == 0 ? "" : " ").append(k).append('=').append(v));
    return b.toString();
  }
}
