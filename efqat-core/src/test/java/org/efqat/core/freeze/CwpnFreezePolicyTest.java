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

class CwpnFreezePolicyTest extends FreezePolicyContractTest {
  @Override
  protected FreezePolicy createPolicy(ComponentContext context) {
    return new CwpnFreezePolicy(0.3);
  }

  @Test
  void ranksAllRowsOfTheNetworkTogether() {
    NetworkImportance n = net(layer("a", 0.1, 0.9, 0.5), layer("b", 0.8, 0.2, 0.95));
    // 6 rows, p = 0.5 -> 3 rows: b2 (0.95), a1 (0.9), b0 (0.8)
    assertThat(render(new CwpnFreezePolicy(0.5).select(n))).isEqualTo("a:[1] b:[0, 2]");
  }

  @Test
  void aLayerOnALargerScaleCanTakeEveryRow() {
    NetworkImportance n = net(layer("small", 0.01, 0.02, 0.03), layer("large", 5, 6, 7));
    assertThat(render(new CwpnFreezePolicy(0.5).select(n))).isEqualTo("small:[] large:[0, 1, 2]");
  }

  @Test
  void tiesGoToTheEarlierLayerThenTheLowerRow() {
    NetworkImportance n = net(layer("a", 1, 2), layer("b", 2, 1), layer("c", 2));
    // five rows, three with score 2: a1, b0, c0 in network order; p = 0.4 -> 2 rows
    assertThat(render(new CwpnFreezePolicy(0.4).select(n))).isEqualTo("a:[1] b:[0] c:[]");
  }

  @Test
  void oneHugeLayerAmongSmallOnes() {
    double[] huge = new double[1000];
    java.util.Arrays.setAll(huge, i -> 0.5 + i * 1e-4); // 0.5 .. 0.5999
    NetworkImportance n = net(layer("first", 0.9, 0.1), layer("huge", huge), layer("last", 0.7));
    RowSelection s = new CwpnFreezePolicy(0.1).select(n); // ceil(0.1 * 1003) = 101
    assertThat(s.totalUnfrozen()).isEqualTo(101);
    assertThat(s.unfrozenRows("first")).containsExactly(0);
    assertThat(s.unfrozenRows("last")).containsExactly(0);
    assertThat(s.unfrozenRows("huge")).hasSize(99).startsWith(901).endsWith(999);
  }

  @Test
  void zeroAndOneAreNoneAndAll() {
    NetworkImportance n = net(layer("a", 3, 1), layer("e"), layer("b", 2));
    assertThat(new CwpnFreezePolicy(0).select(n).totalUnfrozen()).isZero();
    assertThat(render(new CwpnFreezePolicy(1).select(n))).isEqualTo("a:[0, 1] e:[] b:[0]");
  }
}
