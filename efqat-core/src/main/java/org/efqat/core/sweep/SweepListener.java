package org.efqat.core.sweep;

import org.efqat.core.session.SessionListener;

/** What a sweep reports while it runs. */
public interface SweepListener {
  /** Reports nothing. */
  SweepListener NONE = new SweepListener() {};

  /**
   * @param what the shared stage's run folder name, e.g. {@code ptq-1a2b3c4d5e6f}
   * @param points how many points use it
   */
  default void sharedStageStarted(String what, int points) {}

  /**
   * @param point the point about to run
   * @param table the table before it
   */
  default void pointStarted(SweepPoint point, SweepTable table) {}

  /**
   * @param point the point that ended
   * @param status how: {@link PointStatus#DONE} or {@link PointStatus#FAILED}
   * @param error the one-line error of a failed point, else {@code null}
   * @param table the table after it
   */
  default void pointFinished(
      SweepPoint point, PointStatus status, String error, SweepTable table) {}

  /**
   * @param point a point (or a shared stage's first point)
   * @return the listener of its session (progress of its stages)
   */
  default SessionListener sessionListener(SweepPoint point) {
    return SessionListener.NONE;
  }
}
