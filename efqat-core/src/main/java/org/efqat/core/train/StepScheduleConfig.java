package org.efqat.core.train;

import java.util.List;
import org.efqat.api.spi.ConfigValueException;

/**
 * Options of {@code step}.
 *
 * @param milestones fractions of the stage's steps in (0, 1), increasing, at which the rate is
 *     multiplied by {@code gamma}; default {@code [0.5, 0.75]}
 * @param gamma the factor, in (0, 1]; default {@value #DEFAULT_GAMMA}
 */
public record StepScheduleConfig(List<Double> milestones, Double gamma) {
  /** The default factor. */
  public static final double DEFAULT_GAMMA = 0.1;

  /** Validates and applies defaults. */
  public StepScheduleConfig {
    milestones = milestones == null ? List.of(0.5, 0.75) : List.copyOf(milestones);
    double last = 0;
    for (Double m : milestones) {
      if (m == null || !(m > last && m < 1)) {
        throw new ConfigValueException(
            "milestones", "must be increasing fractions in (0, 1)" + " (was " + milestones + ")");
      }
      last = m;
    }
    gamma = gamma == null ? DEFAULT_GAMMA : gamma;
    if (!(gamma > 0 && gamma <= 1)) {
      throw new ConfigValueException("gamma", "must be in (0, 1] (was " + gamma + ")");
    }
  }
}
