package org.efqat.core.train;

import java.util.List;

/**
 * Where a training stage stands after a completed step: everything of the training loop a resumed
 * run needs to continue exactly as an uninterrupted one (the parameters, the optimizer state and
 * the row selection are saved beside it by the session).
 *
 * @param step steps completed
 * @param epoch the 0-based epoch in progress
 * @param batchInEpoch batches of that epoch consumed; a resume replays the data order up to here
 * @param samples samples seen in the stage
 * @param sinceSelection samples seen since the last row selection (the refresh interval's counter)
 * @param selections row selections made
 * @param fraction the unfrozen fraction of the selection in force (1 without a selector)
 * @param fractionSum the sum of the unfrozen fraction over the steps (for the mean)
 * @param recentCorrect correct predictions in the epoch in progress
 * @param recentSeen samples of the epoch in progress
 * @param losses the mean loss of every step
 * @param history every row selection made
 * @param timings milliseconds of every step
 */
public record TrainingProgress(
    int step,
    int epoch,
    int batchInEpoch,
    long samples,
    long sinceSelection,
    int selections,
    double fraction,
    double fractionSum,
    long recentCorrect,
    long recentSeen,
    List<Double> losses,
    List<SelectionEvent> history,
    StepTimings timings) {
  /** Copies the lists. */
  public TrainingProgress {
    losses = List.copyOf(losses);
    history = List.copyOf(history);
  }
}
