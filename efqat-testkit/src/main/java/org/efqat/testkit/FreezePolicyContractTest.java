package org.efqat.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.efqat.api.freeze.FreezePolicy;
import org.efqat.api.freeze.NetworkImportance;
import org.efqat.api.freeze.RowSelection;
import org.efqat.api.importance.LayerImportance;
import org.efqat.api.spi.ComponentContext;
import org.junit.jupiter.api.Test;

/**
 * What every {@link FreezePolicy} must do, whatever rows it picks: keep the input's layers in
 * order, return valid selections for empty networks, empty layers and ties, and be deterministic
 * given the seed. Extend it and implement {@link #createPolicy(ComponentContext)}.
 */
public abstract class FreezePolicyContractTest {

  /**
   * @param context the run's context (seeded)
   * @return a new policy
   */
  protected abstract FreezePolicy createPolicy(ComponentContext context);

  /**
   * A random network importance table.
   *
   * @param seed the seed
   * @param rowsPerLayer rows of each layer
   * @return the importances of layers {@code l0, l1, ...}
   */
  protected static NetworkImportance randomNetwork(long seed, int... rowsPerLayer) {
    SplittableRandom random = new SplittableRandom(seed);
    List<LayerImportance> layers = new ArrayList<>();
    for (int l = 0; l < rowsPerLayer.length; l++) {
      double[] s = new double[rowsPerLayer[l]];
      for (int r = 0; r < s.length; r++) {
        s[r] = random.nextDouble();
      }
      layers.add(new LayerImportance("l" + l, s));
    }
    return new NetworkImportance(layers);
  }

  private static void assertShapeOf(RowSelection selection, NetworkImportance net) {
    List<String> names = new ArrayList<>();
    selection.layers().forEach(names::add);
    assertThat(names)
        .containsExactlyElementsOf(net.layers().stream().map(LayerImportance::layer).toList());
    for (LayerImportance l : net.layers()) {
      assertThat(selection.rowCount(l.layer())).isEqualTo(l.rows());
      int[] rows = selection.unfrozenRows(l.layer());
      assertThat(rows).isSorted().doesNotHaveDuplicates();
      for (int r : rows) {
        assertThat(r).isBetween(0, l.rows() - 1);
      }
    }
  }

  @Test
  void selectionCoversExactlyTheInputLayersInOrder() {
    NetworkImportance net = randomNetwork(1, 16, 32, 8, 64);
    RowSelection s = createPolicy(ComponentContext.ofSeed(1)).select(net);
    assertShapeOf(s, net);
    assertThat(s.totalRows()).isEqualTo(net.totalRows());
  }

  @Test
  void emptyNetworkGivesAnEmptySelection() {
    NetworkImportance net = new NetworkImportance(List.of());
    RowSelection s = createPolicy(ComponentContext.ofSeed(2)).select(net);
    assertThat(s.totalRows()).isZero();
    assertThat(s.unfrozenFraction()).isZero();
  }

  @Test
  void layersWithoutRowsAreKept() {
    NetworkImportance net =
        NetworkImportance.of(
            new LayerImportance("empty", new double[0]),
            new LayerImportance("full", new double[] {1, 2}));
    RowSelection s = createPolicy(ComponentContext.ofSeed(3)).select(net);
    assertShapeOf(s, net);
    assertThat(s.unfrozenCount("empty")).isZero();
  }

  @Test
  void tiesGiveAValidSelection() {
    NetworkImportance net =
        NetworkImportance.of(
            new LayerImportance("a", new double[] {1, 1, 1, 1}),
            new LayerImportance("b", new double[] {1, 1, 1}));
    assertShapeOf(createPolicy(ComponentContext.ofSeed(4)).select(net), net);
  }

  @Test
  void sameSeedAndInputsGiveTheSameSelections() {
    FreezePolicy first = createPolicy(ComponentContext.ofSeed(5));
    FreezePolicy second = createPolicy(ComponentContext.ofSeed(5));
    for (int step = 0; step < 3; step++) {
      NetworkImportance net = randomNetwork(100 + step, 10, 20, 30);
      assertThat(second.select(net)).isEqualTo(first.select(net));
    }
  }
}
