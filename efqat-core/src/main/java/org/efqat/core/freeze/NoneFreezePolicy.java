package org.efqat.core.freeze;

import org.efqat.api.freeze.FreezePolicy;
import org.efqat.api.freeze.NetworkImportance;
import org.efqat.api.freeze.RowSelection;
import org.efqat.api.importance.LayerImportance;

/**
 * No weight row trains ({@code none}, p = 0): PTQ plus the always-trained cheap parameters (biases,
 * normalization, activation-quantizer ranges; DESIGN.md 1.1).
 */
public final class NoneFreezePolicy implements FreezePolicy {
  @Override
  public RowSelection select(NetworkImportance importance) {
    RowSelection.Builder b = RowSelection.builder();
    for (LayerImportance layer : importance.layers()) {
      b.addLayer(layer.layer(), layer.rows());
    }
    return b.build();
  }
}
