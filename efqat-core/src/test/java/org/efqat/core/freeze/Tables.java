package org.efqat.core.freeze;

import java.util.ArrayList;
import java.util.List;
import org.efqat.api.freeze.NetworkImportance;
import org.efqat.api.freeze.RowSelection;
import org.efqat.api.importance.LayerImportance;

/** Hand-made importance tables for the policy tests. */
final class Tables {
  private Tables() {}

  static LayerImportance layer(String name, double... scores) {
    return new LayerImportance(name, scores);
  }

  static NetworkImportance net(LayerImportance... layers) {
    return NetworkImportance.of(layers);
  }

  /** {@code "a:[0, 2] b:[]"}, easy to compare in assertions. */
  static String render(RowSelection s) {
    List<String> parts = new ArrayList<>();
    for (String layer : s.layers()) {
      parts.add(layer + ":" + java.util.Arrays.toString(s.unfrozenRows(layer)));
    }
    return String.join(" ", parts);
  }
}
