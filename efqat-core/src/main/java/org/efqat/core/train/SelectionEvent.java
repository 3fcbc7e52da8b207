package org.efqat.core.train;

import java.util.Map;

/**
 * One row selection of an EfQAT stage (DESIGN.md 1.2).
 *
 * @param step the step before which it was made
 * @param samples samples seen in the stage before it
 * @param unfrozenFraction the fraction of all weight rows that train from then on
 * @param unfrozenRows unfrozen rows per weight layer, in network order
 */
public record SelectionEvent(
    int step, long samples, double unfrozenFraction, Map<String, Integer> unfrozenRows) {
  /** Copies the map, keeping its order. */
  public SelectionEvent {
    unfrozenRows =
        java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(unfrozenRows));
  }
}
