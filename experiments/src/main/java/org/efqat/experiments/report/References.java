package org.efqat.experiments.report;

/**
 * The levels a panel's EfQAT points are measured against. Accuracies are fractions in [0, 1]. FP
 * and PTQ are taken once per seed (the points of one seed share those stages), then averaged over
 * the seeds; {@code none} and plain QAT over their finished points.
 *
 * @param fp the full-precision model's test accuracy, or {@code null}
 * @param ptq the PTQ model's test accuracy, or {@code null}
 * @param none the {@code none} policy's EfQAT accuracy (p = 0: only the always-trained parameters),
 *     or {@code null} without such a point
 * @param qat plain QAT's accuracy (policy {@code all}, p = 1), or {@code null} without such a point
 * @param qatBackwardMs plain QAT's median backward time per step in milliseconds, or {@code null}
 */
public record References(Stats fp, Stats ptq, Stats none, Stats qat, Stats qatBackwardMs) {
  /**
   * Below this (a fraction of accuracy) the PTQ→QAT gap is taken as zero: when plain QAT is not
   * more accurate than PTQ there is nothing to close, and no share is given.
   */
  public static final double MIN_GAP = 1e-9;

  /**
   * @return QAT − PTQ accuracy (a fraction), or {@code null} when either is missing
   */
  public Double gap() {
    return ptq == null || qat == null ? null : qat.mean() - ptq.mean();
  }

  /**
   * @param accuracy an EfQAT accuracy, a fraction in [0, 1]
   * @return {@code (accuracy − PTQ) / (QAT − PTQ)}, or {@code null} when the gap is unknown or not
   *     above {@link #MIN_GAP}
   */
  public Double closed(double accuracy) {
    Double gap = gap();
    return gap == null || !(gap > MIN_GAP) ? null : (accuracy - ptq.mean()) / gap;
  }

  /**
   * @param backwardMs a median backward time per step, milliseconds
   * @return plain QAT's backward time over it, or {@code null} without a timed QAT point
   */
  public Double speedup(double backwardMs) {
    return qatBackwardMs == null || !(backwardMs > 0) ? null : qatBackwardMs.mean() / backwardMs;
  }
}
