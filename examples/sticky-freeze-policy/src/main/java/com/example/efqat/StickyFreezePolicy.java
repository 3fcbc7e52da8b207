package com.example.efqat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.efqat.api.freeze.FreezePolicy;
import org.efqat.api.freeze.NetworkImportance;
import org.efqat.api.freeze.RowSelection;
import org.efqat.api.freeze.UnfrozenFraction;
import org.efqat.api.importance.LayerImportance;
import org.efqat.api.spi.Resumable;

/**
 * Channel-wise per network with hysteresis: like {@code cwpn} it trains {@code k = ⌈p·N⌉} rows of
 * one network-wide ranking, but at a re-selection a row that already trains stays unfrozen as long
 * as it still ranks within {@code (1 + slack)·k}. Fewer rows change state between re-selections, so
 * their optimizer momentum is not thrown away as often. With {@code slack = 0} it is exactly {@code
 * cwpn}.
 */
public final class StickyFreezePolicy implements FreezePolicy, Resumable {
  private final double p;
  private final double slack;
  private final Set<String> trained = new HashSet<>();

  /**
   * @param p the unfrozen fraction in [0, 1]
   * @param slack the hysteresis margin, {@code >= 0}
   */
  public StickyFreezePolicy(double p, double slack) {
    this.p = UnfrozenFraction.requireFraction(p);
    this.slack = slack;
  }

  /** The rows that train, as {@code layer#row} keys separated by newlines (resume checkpoints). */
  @Override
  public String saveState() {
    return String.join("\n", new java.util.TreeSet<>(trained));
  }

  @Override
  public void restoreState(String state) {
    trained.clear();
    for (String key : state.split("\n")) {
      if (!key.isEmpty()) {
        trained.add(key);
      }
    }
  }

  @Override
  public RowSelection select(NetworkImportance importance) {
    List<LayerImportance> layers = importance.layers();
    List<int[]> ranked = new ArrayList<>(); // {layer, row}, most important first
    for (int l = 0; l < layers.size(); l++) {
      for (int r = 0; r < layers.get(l).rows(); r++) {
        ranked.add(new int[] {l, r});
      }
    }
    ranked.sort(
        (a, b) -> {
          int c = Double.compare(layers.get(b[0]).score(b[1]), layers.get(a[0]).score(a[1]));
          return c != 0
              ? c
              : a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]);
        });
    int k = (int) UnfrozenFraction.rows(p, ranked.size());
    int keepWithin = (int) Math.min(ranked.size(), Math.floor(k * (1 + slack)));
    Set<String> next = new HashSet<>();
    // First keep the rows that already train and are still near the top ...
    for (int i = 0; i < keepWithin && next.size() < k; i++) {
      String key = key(layers, ranked.get(i));
      if (trained.contains(key)) {
        next.add(key);
      }
    }
    // ... then fill up with the best of the rest.
    for (int i = 0; i < ranked.size() && next.size() < k; i++) {
      next.add(key(layers, ranked.get(i)));
    }
    trained.clear();
    trained.addAll(next);

    RowSelection.Builder b = RowSelection.builder();
    for (LayerImportance layer : layers) {
      int[] rows =
          java.util.stream.IntStream.range(0, layer.rows())
              .filter(r -> next.contains(layer.layer() + "#" + r))
              .toArray();
      b.addLayer(layer.layer(), layer.rows(), rows);
    }
    return b.build();
  }

  private static String key(List<LayerImportance> layers, int[] lr) {
    return layers.get(lr[0]).layer() + "#" + lr[1];
  }
}
