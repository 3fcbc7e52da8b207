package org.efqat.core.sweep;

/** Where a sweep point stands, as its run folder shows it. */
public enum PointStatus {
  /** Not started. */
  PENDING,
  /** Started and not finished: running now, or interrupted (it resumes on the next run). */
  STARTED,
  /** Its last stage completed. */
  DONE,
  /** Its last attempt failed; {@link SweepTable.Row#error()} says why. Retried on the next run. */
  FAILED
}
