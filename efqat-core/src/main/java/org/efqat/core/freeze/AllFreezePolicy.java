package org.efqat.core.freeze;

import java.util.stream.IntStream;
import org.efqat.api.freeze.FreezePolicy;
import org.efqat.api.freeze.NetworkImportance;
import org.efqat.api.freeze.RowSelection;
import org.efqat.api.importance.LayerImportance;

/**
 * Plain QAT ({@code all}, p = 1): every row trains. With this policy EfQAT is exactly ordinary
 * quantization-aware training (DESIGN.md 1.2 invariant).
 */
public final class AllFreezePolicy implements FreezePolicy {
  @Override
  public RowSelection select(NetworkImportance importance) {
    RowSelection.Builder b = RowSelection.builder();
    for (LayerImportance layer : importance.layers()) {
      b.addLayer(layer.layer(), layer.rows(), IntStream.range(0, layer.rows()).toArray());
    }
    return b.build();
  }
}
