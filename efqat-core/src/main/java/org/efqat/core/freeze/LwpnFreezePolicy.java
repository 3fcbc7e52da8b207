package org.efqat.core.freeze;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.efqat.api.freeze.FreezePolicy;
import org.efqat.api.freeze.NetworkImportance;
import org.efqat.api.freeze.RowSelection;
import org.efqat.api.freeze.UnfrozenFraction;
import org.efqat.api.importance.LayerImportance;

/**
 * Layer-wise per network ({@code lwpn}, DESIGN.md 1.2): layers are ranked by their mean row
 * importance, and whole layers are unfrozen in that order until at least {@code ⌈p·N⌉} rows are
 * covered (the shortest prefix of the ranking that covers them). The fraction actually trained can
 * therefore exceed {@code p} when a large layer is taken; {@link RowSelection#unfrozenFraction()}
 * reports it. Layers without rows are never taken.
 */
public final class LwpnFreezePolicy implements FreezePolicy {
  private final double p;

  /**
   * @param p the unfrozen fraction in {@code [0, 1]}
   */
  public LwpnFreezePolicy(double p) {
    this.p = UnfrozenFraction.requireFraction(p);
  }

  @Override
  public RowSelection select(NetworkImportance importance) {
    List<LayerImportance> layers = importance.layers();
    long target = UnfrozenFraction.rows(p, importance.totalRows());
    List<Integer> order = new ArrayList<>();
    IntStream.range(0, layers.size()).filter(l -> layers.get(l).rows() > 0).forEach(order::add);
    order.sort(
        (a, b) -> {
          int c = Double.compare(layers.get(b).mean(), layers.get(a).mean());
          return c != 0 ? c : Integer.compare(a, b);
        });
    boolean[] take = new boolean[layers.size()];
    long covered = 0;
    for (int l : order) {
      if (covered >= target) {
        break;
      }
      take[l] = true;
      covered += layers.get(l).rows();
    }
    RowSelection.Builder b = RowSelection.builder();
    for (int l = 0; l < layers.size(); l++) {
      LayerImportance layer = layers.get(l);
      b.addLayer(
          layer.layer(),
          layer.rows(),
          take[l] ? IntStream.range(0, layer.rows()).toArray() : new int[0]);
    }
    return b.build();
  }
}
