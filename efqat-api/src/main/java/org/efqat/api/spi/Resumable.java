package org.efqat.api.spi;

import org.apiguardian.api.API;

/**
 * A component whose behaviour depends on what it did earlier in a stage (a freeze policy that
 * remembers the rows it chose, one that draws random rows, an importance metric with a moving
 * average). When a run is checkpointed in the middle of a stage its state is saved, and when the
 * run resumes it is restored into a freshly created component, so that the resumed run makes the
 * same choices as an uninterrupted one. A component without such state need not implement this.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface Resumable {
  /**
   * @return the state, in any text form the component can read back (it is stored in the run's JSON
   *     state file)
   */
  String saveState();

  /**
   * Restores what {@link #saveState()} returned; called once, before the first use after a resume.
   *
   * @param state a string {@link #saveState()} returned
   * @throws IllegalArgumentException if it cannot be read
   */
  void restoreState(String state);
}
