package org.efqat.core.freeze;

import java.util.List;
import java.util.SplittableRandom;
import org.efqat.api.freeze.FreezePolicy;
import org.efqat.api.freeze.NetworkImportance;
import org.efqat.api.freeze.RowSelection;
import org.efqat.api.freeze.UnfrozenFraction;
import org.efqat.api.importance.LayerImportance;
import org.efqat.api.spi.ComponentContext;
import org.efqat.api.spi.Resumable;

/**
 * The random baseline ({@code random}): ignores importance and unfreezes {@code ⌈p·N⌉} rows drawn
 * uniformly without replacement over the network (or {@code ⌈p·C_out⌉} per layer). Selection {@code
 * i} draws from its own stream, split deterministically off the component's seeded stream by {@code
 * i}, so a run is reproducible from its seed and a resumed run (which restores {@code i}, {@link
 * Resumable}) draws what an uninterrupted one would.
 */
public final class RandomFreezePolicy implements FreezePolicy, Resumable {
  private final double p;
  private final boolean perLayer;
  private final long seed;
  private long selections;
  private SplittableRandom random;

  /**
   * @param p the unfrozen fraction in {@code [0, 1]}
   * @param perLayer draw per layer instead of over the network
   * @param random the component's random stream
   */
  public RandomFreezePolicy(double p, boolean perLayer, SplittableRandom random) {
    this.p = UnfrozenFraction.requireFraction(p);
    this.perLayer = perLayer;
    this.seed = random.nextLong();
  }

  @Override
  public String saveState() {
    return Long.toString(selections);
  }

  @Override
  public void restoreState(String state) {
    try {
      selections = Long.parseLong(state);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "random freeze policy: expected a selection count (was '" + state + "')", e);
    }
  }

  @Override
  public RowSelection select(NetworkImportance importance) {
    random = ComponentContext.ofSeed(seed).random("selection-" + selections++);
    List<List<Integer>> unfrozen = RowRanking.emptyLists(importance);
    List<LayerImportance> layers = importance.layers();
    if (perLayer) {
      for (int l = 0; l < layers.size(); l++) {
        int n = layers.get(l).rows();
        for (int row : sample(n, (int) UnfrozenFraction.rows(p, n))) {
          unfrozen.get(l).add(row);
        }
      }
    } else {
      int total = (int) importance.totalRows();
      int[] layerOf = new int[total];
      int[] rowOf = new int[total];
      int i = 0;
      for (int l = 0; l < layers.size(); l++) {
        for (int r = 0; r < layers.get(l).rows(); r++, i++) {
          layerOf[i] = l;
          rowOf[i] = r;
        }
      }
      for (int g : sample(total, (int) UnfrozenFraction.rows(p, total))) {
        unfrozen.get(layerOf[g]).add(rowOf[g]);
      }
    }
    return RowRanking.toSelection(importance, unfrozen);
  }

  /** The first {@code k} entries of a partial Fisher-Yates shuffle of {@code 0..n-1}. */
  private int[] sample(int n, int k) {
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    for (int i = 0; i < k; i++) {
      int j = i + random.nextInt(n - i);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    return java.util.Arrays.copyOf(perm, k);
  }
}
