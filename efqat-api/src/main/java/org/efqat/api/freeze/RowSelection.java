package org.efqat.api.freeze;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The unfrozen (trainable) rows of every layer: what a {@link FreezePolicy} returns. For each layer
 * the unfrozen row indices are strictly increasing and within {@code [0, rows)}; rows not listed
 * are frozen. Immutable.
 */
public final class RowSelection {
  private final Map<String, int[]> unfrozen;
  private final Map<String, Integer> rows;

  private RowSelection(Map<String, int[]> unfrozen, Map<String, Integer> rows) {
    this.unfrozen = unfrozen;
    this.rows = rows;
  }

  /**
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @return the layer names in insertion (network) order
   */
  public Iterable<String> layers() {
    return Collections.unmodifiableSet(unfrozen.keySet());
  }

  /**
   * @param layer a layer name
   * @return the unfrozen rows of that layer, strictly increasing; a copy
   * @throws IllegalArgumentException if the layer is not in the selection
   */
  public int[] unfrozenRows(String layer) {
    return lookup(layer).clone();
  }

  /**
   * @param layer a layer name
   * @return how many of its rows are unfrozen
   */
  public int unfrozenCount(String layer) {
    return lookup(layer).length;
  }

  /**
   * @param layer a layer name
   * @return its total number of rows
   */
  public int rowCount(String layer) {
    lookup(layer);
    return rows.get(layer);
  }

  /**
   * @param layer a layer name
   * @param row a row index
   * @return whether that row trains
   */
  public boolean isUnfrozen(String layer, int row) {
    return Arrays.binarySearch(lookup(layer), row) >= 0;
  }

  /**
   * @return the number of unfrozen rows over all layers
   */
  public long totalUnfrozen() {
    long n = 0;
    for (int[] u : unfrozen.values()) {
      n += u.length;
    }
    return n;
  }

  /**
   * @return the number of rows over all layers
   */
  public long totalRows() {
    long n = 0;
    for (int r : rows.values()) {
      n += r;
    }
    return n;
  }

  /**
   * @return the unfrozen fraction over all rows, 0 for a network without rows
   */
  public double unfrozenFraction() {
    long total = totalRows();
    return total == 0 ? 0.0 : (double) totalUnfrozen() / total;
  }

  private int[] lookup(String layer) {
    int[] u = unfrozen.get(layer);
    if (u == null) {
      throw new IllegalArgumentException(
          "layer " + layer + " is not in the selection; layers: " + unfrozen.keySet());
    }
    return u;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RowSelection other) || !rows.equals(other.rows)) {
      return false;
    }
    for (Map.Entry<String, int[]> e : unfrozen.entrySet()) {
      if (!Arrays.equals(e.getValue(), other.unfrozen.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = rows.hashCode();
    for (int[] u : unfrozen.values()) {
      h = 31 * h + Arrays.hashCode(u);
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("RowSelection[");
    for (Map.Entry<String, int[]> e : unfrozen.entrySet()) {
      sb.append(e.getKey())
          .append(' ')
          .append(e.getValue().length)
          .append('/')
          .append(rows.get(e.getKey()))
          .append(' ');
    }
    return sb.append(String.format("fraction=%.4f]", unfrozenFraction())).toString();
  }

  /** Collects the unfrozen rows layer by layer. */
  public static final class Builder {
    private final Map<String, int[]> unfrozen = new LinkedHashMap<>();
    private final Map<String, Integer> rows = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Adds a layer.
     *
     * @param layer the layer's name, not yet added
     * @param rowCount its number of rows
     * @param unfrozenRows the rows that train, in any order, without duplicates; copied
     * @return this builder
     */
    public Builder addLayer(String layer, int rowCount, int... unfrozenRows) {
      Objects.requireNonNull(layer, "layer is null");
      if (unfrozen.containsKey(layer)) {
        throw new IllegalArgumentException("layer " + layer + " added twice");
      }
      int[] sorted = unfrozenRows.clone();
      Arrays.sort(sorted);
      for (int i = 0; i < sorted.length; i++) {
        if (sorted[i] < 0 || sorted[i] >= rowCount) {
          throw new IllegalArgumentException(
              "layer " + layer + ": row " + sorted[i] + " outside [0, " + rowCount + ")");
        }
        if (i > 0 && sorted[i] == sorted[i - 1]) {
          throw new IllegalArgumentException("layer " + layer + ": row " + sorted[i] + " twice");
        }
      }
      unfrozen.put(layer, sorted);
      rows.put(layer, rowCount);
      return this;
    }

    /**
     * @return the selection
     */
    public RowSelection build() {
      return new RowSelection(
          Collections.unmodifiableMap(new LinkedHashMap<>(unfrozen)),
          Collections.unmodifiableMap(new LinkedHashMap<>(rows)));
    }
  }
}
