package org.efqat.api.freeze;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.efqat.api.importance.LayerImportance;

/**
 * The row importances of all quantized layers of a network, in network order (input to output).
 * Network order is the tie-breaker of the built-in policies.
 *
 * @param layers one entry per quantized layer; names are unique
 */
public record NetworkImportance(List<LayerImportance> layers) {
  /** Checks that layer names are unique and copies the list. */
  public NetworkImportance {
    layers = List.copyOf(Objects.requireNonNull(layers, "layers is null"));
    Set<String> seen = new HashSet<>();
    for (LayerImportance l : layers) {
      if (!seen.add(l.layer())) {
        throw new IllegalArgumentException("layer name " + l.layer() + " appears twice");
      }
    }
  }

  /**
   * @param layers the layers in network order
   * @return the network importance
   */
  public static NetworkImportance of(LayerImportance... layers) {
    return new NetworkImportance(List.of(layers));
  }

  /**
   * @return the number of rows over all layers
   */
  public long totalRows() {
    long n = 0;
    for (LayerImportance l : layers) {
      n += l.rows();
    }
    return n;
  }
}
