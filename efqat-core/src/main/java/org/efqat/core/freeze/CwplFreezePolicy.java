package org.efqat.core.freeze;

import java.util.Arrays;
import org.efqat.api.freeze.FreezePolicy;
import org.efqat.api.freeze.NetworkImportance;
import org.efqat.api.freeze.RowSelection;
import org.efqat.api.freeze.UnfrozenFraction;
import org.efqat.api.importance.LayerImportance;

/**
 * Channel-wise per layer ({@code cwpl}, DESIGN.md 1.2): in every layer, the top {@code ⌈p·C_out⌉}
 * rows by importance train. Every layer keeps the same fraction, whatever its importance scale.
 */
public final class CwplFreezePolicy implements FreezePolicy {
  private final double p;

  /**
   * @param p the unfrozen fraction in {@code [0, 1]}
   */
  public CwplFreezePolicy(double p) {
    this.p = UnfrozenFraction.requireFraction(p);
  }

  @Override
  public RowSelection select(NetworkImportance importance) {
    RowSelection.Builder b = RowSelection.builder();
    for (LayerImportance layer : importance.layers()) {
      int k = (int) UnfrozenFraction.rows(p, layer.rows());
      b.addLayer(layer.layer(), layer.rows(), Arrays.copyOf(RowRanking.rankRows(layer), k));
    }
    return b.build();
  }
}
