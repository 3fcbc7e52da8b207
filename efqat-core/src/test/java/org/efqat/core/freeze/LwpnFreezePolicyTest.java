package org.efqat.core.freeze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.efqat.core.freeze.Tables.layer;
import static org.efqat.core.freeze.Tables.net;
import static org.efqat.core.freeze.Tables.render;

import org.efqat.api.freeze.FreezePolicy;
import org.efqat.api.freeze.NetworkImportance;
import org.efqat.api.freeze.RowSelection;
import org.efqat.api.spi.ComponentContext;
import org.efqat.testkit.FreezePolicyContractTest;
import org.junit.jupiter.api.Test;

class LwpnFreezePolicyTest extends FreezePolicyContractTest {
  @Override
  protected FreezePolicy createPolicy(ComponentContext context) {
    return new LwpnFreezePolicy(0.3);
  }

  @Test
  void unfreezesWholeLayersByMeanImportanceUntilPIsCovered() {
    NetworkImportance n =
        net(
            layer("a", 1, 1, 1, 1), // mean 1
            layer("b", 3, 3), // mean 3
            layer("c", 2, 2, 2, 2)); // mean 2
    // 10 rows, p = 0.5 -> 5 rows: b (2 rows) then c (4 rows) covers 6 >= 5
    RowSelection s = new LwpnFreezePolicy(0.5).select(n);
    assertThat(render(s)).isEqualTo("a:[] b:[0, 1] c:[0, 1, 2, 3]");
    assertThat(s.unfrozenFraction()).isEqualTo(0.6);
  }

  @Test
  void stopsAsSoonAsTheTargetIsCovered() {
    NetworkImportance n = net(layer("a", 1, 1), layer("b", 3, 3), layer("c", 2, 2));
    // 6 rows, p = 1/3 -> 2 rows: b alone covers it
    assertThat(render(new LwpnFreezePolicy(1.0 / 3).select(n))).isEqualTo("a:[] b:[0, 1] c:[]");
  }

  @Test
  void aHugeImportantLayerOvershoots() {
    double[] huge = new double[1000];
    java.util.Arrays.fill(huge, 9);
    NetworkImportance n = net(layer("small", 1, 1), layer("huge", huge));
    RowSelection s = new LwpnFreezePolicy(0.05).select(n);
    assertThat(s.unfrozenCount("huge")).isEqualTo(1000);
    assertThat(s.unfrozenCount("small")).isZero();
  }

  @Test
  void tiedMeansGoToTheEarlierLayerAndEmptyLayersAreSkipped() {
    NetworkImportance n = net(layer("e"), layer("a", 2, 2), layer("b", 1, 3));
    assertThat(render(new LwpnFreezePolicy(0.25).select(n))).isEqualTo("e:[] a:[0, 1] b:[]");
  }

  @Test
  void zeroAndOneAreNoneAndAll() {
    NetworkImportance n = net(layer("a", 3, 1), layer("e"), layer("b", 2));
    assertThat(new LwpnFreezePolicy(0).select(n).totalUnfrozen()).isZero();
    assertThat(render(new LwpnFreezePolicy(1).select(n))).isEqualTo("a:[0, 1] e:[] b:[0]");
  }
}
