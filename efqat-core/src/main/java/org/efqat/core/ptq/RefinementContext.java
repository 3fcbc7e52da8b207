package org.efqat.core.ptq;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * What a {@link PtqRefinement} gets besides the network and the data.
 *
 * @param batches the number of calibration batches ({@code quantization.calibration.batches}); a
 *     refinement reads at most this many per pass
 * @param random this refinement's random stream (mini-batch draws), split from the run's {@code
 *     calibration.refine} stream in list order
 * @param listener where per-layer progress goes
 * @param reference the full-precision weights and biases, copied after range calibration and before
 *     the first refinement: the reconstruction target of every refinement in the list
 */
public record RefinementContext(
    int batches,
    SplittableRandom random,
    RefinementListener listener,
    FullPrecisionWeights reference) {
  /** Checks the values. */
  public RefinementContext {
    if (batches < 1) {
      throw new IllegalArgumentException("batches must be at least 1 (was " + batches + ")");
    }
    Objects.requireNonNull(random, "random is null");
    Objects.requireNonNull(listener, "listener is null");
    Objects.requireNonNull(reference, "reference is null");
  }
}
