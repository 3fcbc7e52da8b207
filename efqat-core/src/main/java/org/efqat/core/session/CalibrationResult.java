package org.efqat.core.session;

import java.util.List;

/**
 * What {@link ExperimentSession#calibrate} did besides calibrating the ranges.
 *
 * @param refinements the PTQ refinements applied, in order (empty when none)
 * @param seconds wall time of range calibration and refinements together, in seconds
 */
public record CalibrationResult(List<RunMetrics.Refinement> refinements, double seconds) {
  /** Copies the list. */
  public CalibrationResult {
    refinements = List.copyOf(refinements);
  }
}
