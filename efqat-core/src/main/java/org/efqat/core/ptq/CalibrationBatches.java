package org.efqat.core.ptq;

import org.efqat.core.train.Batches;

/**
 * Opens the calibration batches for one pass of a {@link PtqRefinement}. Every call must return a
 * fresh source that gives the same samples in the same order after {@code startEpoch(0)}:
 * layer-wise reconstruction pairs the inputs a layer sees in full precision with those it sees
 * quantized sample by sample, over separate passes. (A {@link Batches} that reshuffles from a
 * random stream on every {@code startEpoch} cannot be reused across passes; open a new one with a
 * new copy of the same stream instead, as the session does with {@code data.calibration}.)
 */
@FunctionalInterface
public interface CalibrationBatches {
  /**
   * @return a new source of the calibration batches, in the same order as every other one
   */
  Batches open();
}
