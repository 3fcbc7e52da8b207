package org.efqat.experiments.report;

import java.util.List;
import java.util.Objects;

/**
 * The points of one setting of a panel, usually its seeds, with the mean and spread of what they
 * measured. Only finished points ({@link ReportPoint#done()}) enter the statistics; the others are
 * listed with them.
 *
 * @param setting the policy, nominal p and interval the points share
 * @param points every point of the setting, finished or not, in input order
 * @param efqat EfQAT test accuracy as a fraction in [0, 1], or {@code null} when none finished
 * @param ptq the finished points' PTQ test accuracy, a fraction, or {@code null}
 * @param fp their FP test accuracy, a fraction, or {@code null}
 * @param rowsTrained the fraction of weight rows trained (mean over steps), or {@code null}
 * @param backwardMs the median backward time per EfQAT step, in milliseconds, or {@code null}
 * @param gapClosed the fraction of the panel's PTQ→QAT accuracy gap this setting closes, {@code
 *     (EfQAT − PTQ) / (QAT − PTQ)} on the means (1 = as accurate as plain QAT), or {@code null}
 *     without a PTQ and a QAT level
 * @param speedup plain QAT's mean backward time over this setting's ({@code > 1}: faster), or
 *     {@code null} without a timed QAT point
 */
public record PointGroup(
    Setting setting,
    List<ReportPoint> points,
    Stats efqat,
    Stats ptq,
    Stats fp,
    Stats rowsTrained,
    Stats backwardMs,
    Double gapClosed,
    Double speedup) {
  /** Copies the points. */
  public PointGroup {
    Objects.requireNonNull(setting, "setting is null");
    points = List.copyOf(points);
  }

  /**
   * What the points of a group share.
   *
   * @param policy the freeze policy ({@code efqat.freeze.type}), or {@code null} when unknown
   * @param p the nominal unfrozen fraction ({@code efqat.freeze.p}; 0 for none, 1 for all), or
   *     {@code null} when the policy has none
   * @param interval the refresh interval {@code f} in training samples, or {@code null}
   */
  public record Setting(String policy, Double p, Long interval) {
    /**
     * @param f a point's facts
     * @return its setting
     */
    static Setting of(RunFacts f) {
      return new Setting(f.policy(), f.p(), f.interval());
    }

    /**
     * @return whether the policy picks rows (neither none nor all)
     */
    public boolean picksRows() {
      return policy != null && !RunFacts.NONE.equals(policy) && !RunFacts.QAT.equals(policy);
    }
  }

  /**
   * @return the finished points, whose numbers the statistics hold
   */
  public List<ReportPoint> done() {
    return points.stream().filter(ReportPoint::done).toList();
  }
}
