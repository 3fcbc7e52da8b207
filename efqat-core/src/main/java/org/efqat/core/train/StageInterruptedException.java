package org.efqat.core.train;

/** A stage stopped on request after saving a resume checkpoint (SIGINT/SIGTERM). */
public final class StageInterruptedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param step the steps completed when it stopped
   */
  public StageInterruptedException(int step) {
    super("stopped after step " + step + "; a resume checkpoint was written");
  }
}
