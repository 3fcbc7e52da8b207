package org.efqat.core.freeze;

import java.util.List;
import org.efqat.api.freeze.FreezePolicy;
import org.efqat.api.freeze.NetworkImportance;
import org.efqat.api.freeze.RowSelection;
import org.efqat.api.freeze.UnfrozenFraction;

/**
 * Channel-wise per network ({@code cwpn}, DESIGN.md 1.2): one ranking of all rows of all quantized
 * layers; the top {@code ⌈p·N⌉} rows train, wherever they are. Layers whose importances are on a
 * larger scale get more rows.
 */
public final class CwpnFreezePolicy implements FreezePolicy {
  private final double p;

  /**
   * @param p the unfrozen fraction in {@code [0, 1]}
   */
  public CwpnFreezePolicy(double p) {
    this.p = UnfrozenFraction.requireFraction(p);
  }

  @Override
  public RowSelection select(NetworkImportance importance) {
    int[][] ranked = RowRanking.rankNetworkRows(importance);
    int k = (int) UnfrozenFraction.rows(p, ranked.length);
    List<List<Integer>> unfrozen = RowRanking.emptyLists(importance);
    for (int i = 0; i < k; i++) {
      unfrozen.get(ranked[i][0]).add(ranked[i][1]);
    }
    return RowRanking.toSelection(importance, unfrozen);
  }
}
