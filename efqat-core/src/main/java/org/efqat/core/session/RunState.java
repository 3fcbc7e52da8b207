package org.efqat.core.session;

import java.util.List;

/**
 * A run folder's {@code state.json}: the stages completed and the input files the run started from,
 * which a later run of the same folder must find unchanged.
 *
 * @param completed the stages completed, in order
 * @param inputs the files read (FP checkpoint, dataset files) with sizes and hashes
 */
public record RunState(List<Stage> completed, List<org.efqat.core.data.InputFile> inputs) {
  /** A run not started. */
  public static final RunState EMPTY = new RunState(List.of(), List.of());

  /** Copies the lists. */
  public RunState {
    completed = List.copyOf(completed);
    inputs = List.copyOf(inputs);
  }

  /**
   * @param stage a stage
   * @return whether it completed
   */
  public boolean isComplete(Stage stage) {
    return completed.contains(stage);
  }

  /**
   * @param stage a stage that just completed
   * @return the state with it
   */
  public RunState complete(Stage stage) {
    if (completed.contains(stage)) {
      return this;
    }
    List<Stage> c = new java.util.ArrayList<>(completed);
    c.add(stage);
    return new RunState(c, inputs);
  }

  /**
   * @param files the files this run reads
   * @return the state recording them
   */
  public RunState withInputs(List<org.efqat.core.data.InputFile> files) {
    return new RunState(completed, files);
  }
}
