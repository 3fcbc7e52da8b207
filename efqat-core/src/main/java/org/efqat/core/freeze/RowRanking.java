package org.efqat.core.freeze;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.efqat.api.freeze.NetworkImportance;
import org.efqat.api.freeze.RowSelection;
import org.efqat.api.importance.LayerImportance;

/**
 * Sorting helpers shared by the built-in policies: rows by score descending, ties by layer order
 * and then row index ascending.
 */
final class RowRanking {
  private RowRanking() {}

  /**
   * @param layer one layer's importances
   * @return its row indices, most important first
   */
  static int[] rankRows(LayerImportance layer) {
    double[] s = layer.scores();
    Integer[] idx = new Integer[s.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> a.equals(b) ? 0 : compare(s[a], a, s[b], b));
    return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
  }

  /**
   * @param net every layer's importances
   * @return every row of the network as {@code {layerIndex, row}}, most important first
   */
  static int[][] rankNetworkRows(NetworkImportance net) {
    List<int[]> all = new ArrayList<>();
    List<LayerImportance> layers = net.layers();
    for (int l = 0; l < layers.size(); l++) {
      for (int r = 0; r < layers.get(l).rows(); r++) {
        all.add(new int[] {l, r});
      }
    }
    all.sort(
        (a, b) -> {
          int c = Double.compare(layers.get(b[0]).score(b[1]), layers.get(a[0]).score(a[1]));
          if (c != 0) {
            return c;
          }
          return a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]);
        });
    return all.toArray(new int[0][]);
  }

  /**
   * Builds a selection from per-layer lists of unfrozen rows.
   *
   * @param net the network
   * @param unfrozen one list per layer, in network order
   * @return the selection
   */
  static RowSelection toSelection(NetworkImportance net, List<List<Integer>> unfrozen) {
    RowSelection.Builder b = RowSelection.builder();
    for (int l = 0; l < net.layers().size(); l++) {
      LayerImportance layer = net.layers().get(l);
      b.addLayer(
          layer.layer(),
          layer.rows(),
          unfrozen.get(l).stream().mapToInt(Integer::intValue).toArray());
    }
    return b.build();
  }

  /**
   * @param net the network
   * @return one empty list per layer
   */
  static List<List<Integer>> emptyLists(NetworkImportance net) {
    List<List<Integer>> lists = new ArrayList<>();
    for (int l = 0; l < net.layers().size(); l++) {
      lists.add(new ArrayList<>());
    }
    return lists;
  }

  private static int compare(double sa, int ra, double sb, int rb) {
    int c = Double.compare(sb, sa);
    return c != 0 ? c : Integer.compare(ra, rb);
  }
}
