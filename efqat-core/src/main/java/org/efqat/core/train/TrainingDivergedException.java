package org.efqat.core.train;

/**
 * A training stage diverged: a step's loss was not finite or exceeded the bound, or a parameter
 * became NaN or infinite. The stage stops at once; nothing of the diverged state is saved.
 */
public final class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int step;

  /**
   * @param step the 1-based step at which it was found (as progress lines count)
   * @param what what was found and where, e.g. {@code "loss NaN; first non-finite value
   *     fc.weight[3] = NaN"}
   */
  public TrainingDivergedException(int step, String what) {
    super("diverged at step " + step + ": " + what);
    this.step = step;
  }

  /**
   * @return the 1-based step at which it was found
   */
  public int step() {
    return step;
  }
}
