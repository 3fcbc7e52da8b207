package org.efqat.core.freeze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.efqat.core.freeze.Tables.layer;
import static org.efqat.core.freeze.Tables.net;

import org.efqat.api.freeze.FreezePolicy;
import org.efqat.api.freeze.NetworkImportance;
import org.efqat.api.freeze.RowSelection;
import org.efqat.api.spi.ComponentContext;
import org.efqat.testkit.FreezePolicyContractTest;
import org.junit.jupiter.api.Test;

class RandomFreezePolicyTest extends FreezePolicyContractTest {
  @Override
  protected FreezePolicy createPolicy(ComponentContext context) {
    return new RandomFreezePolicyProvider().create(new RandomFreezeConfig(0.3, null), context);
  }

  private static NetworkImportance uniformNet() {
    return net(layer("a", new double[40]), layer("b", new double[60]));
  }

  @Test
  void drawsCeilPRowsOverTheNetwork() {
    RowSelection s = createPolicy(ComponentContext.ofSeed(1)).select(uniformNet());
    assertThat(s.totalUnfrozen()).isEqualTo(30);
  }

  @Test
  void perLayerDrawsCeilPRowsInEveryLayer() {
    FreezePolicy p =
        new RandomFreezePolicyProvider()
            .create(new RandomFreezeConfig(0.25, true), ComponentContext.ofSeed(1));
    RowSelection s = p.select(uniformNet());
    assertThat(s.unfrozenCount("a")).isEqualTo(10);
    assertThat(s.unfrozenCount("b")).isEqualTo(15);
  }

  @Test
  void differentSeedsAndLaterCallsDrawDifferentRows() {
    FreezePolicy p = createPolicy(ComponentContext.ofSeed(1));
    RowSelection first = p.select(uniformNet());
    assertThat(p.select(uniformNet())).isNotEqualTo(first);
    assertThat(createPolicy(ComponentContext.ofSeed(2)).select(uniformNet())).isNotEqualTo(first);
  }

  @Test
  void everyRowIsDrawnAboutEquallyOften() {
    FreezePolicy p = createPolicy(ComponentContext.ofSeed(3));
    int[] hits = new int[100];
    int draws = 2000;
    for (int i = 0; i < draws; i++) {
      RowSelection s = p.select(uniformNet());
      for (int r : s.unfrozenRows("a")) {
        hits[r]++;
      }
      for (int r : s.unfrozenRows("b")) {
        hits[40 + r]++;
      }
    }
    // each row has probability 0.3: mean 600 hits, sd ~20.5; 6 sd either side
    for (int h : hits) {
      assertThat(h).isBetween(477, 723);
    }
  }

  @Test
  void aRestoredPolicyDrawsWhatTheUninterruptedOneDraws() {
    var uninterrupted = createPolicy(ComponentContext.ofSeed(5));
    uninterrupted.select(uniformNet());
    var second = uninterrupted.select(uniformNet());
    var first = createPolicy(ComponentContext.ofSeed(5));
    first.select(uniformNet());
    String state = ((org.efqat.api.spi.Resumable) first).saveState();
    var resumed = createPolicy(ComponentContext.ofSeed(5));
    ((org.efqat.api.spi.Resumable) resumed).restoreState(state);
    assertThat(resumed.select(uniformNet())).isEqualTo(second);
  }
}
