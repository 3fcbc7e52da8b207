package org.efqat.core.freeze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.efqat.core.freeze.Tables.layer;
import static org.efqat.core.freeze.Tables.net;
import static org.efqat.core.freeze.Tables.render;

import org.efqat.api.freeze.FreezePolicy;
import org.efqat.api.freeze.NetworkImportance;
import org.efqat.api.spi.ComponentContext;
import org.efqat.testkit.FreezePolicyContractTest;
import org.junit.jupiter.api.Test;

class CwplFreezePolicyTest extends FreezePolicyContractTest {
  @Override
  protected FreezePolicy createPolicy(ComponentContext context) {
    return new CwplFreezePolicy(0.3);
  }

  @Test
  void takesTheTopCeilPRowsOfEveryLayer() {
    NetworkImportance n =
        net(
            layer("a", 0.1, 0.9, 0.5, 0.7), // ceil(0.5*4) = 2 -> rows 1, 3
            layer("b", 5, 1, 3)); // ceil(0.5*3) = 2 -> rows 0, 2
    assertThat(render(new CwplFreezePolicy(0.5).select(n))).isEqualTo("a:[1, 3] b:[0, 2]");
  }

  @Test
  void everyLayerKeepsItsShareEvenWhenItsScaleIsSmall() {
    NetworkImportance n = net(layer("small", 0.001, 0.002), layer("large", 100, 200, 300, 400));
    assertThat(render(new CwplFreezePolicy(0.25).select(n))).isEqualTo("small:[1] large:[3]");
  }

  @Test
  void tiesGoToTheLowerRow() {
    NetworkImportance n = net(layer("a", 1, 2, 2, 2, 1));
    assertThat(render(new CwplFreezePolicy(0.4).select(n))).isEqualTo("a:[1, 2]");
  }

  @Test
  void roundsUpWithoutFloatingPointNoise() {
    double[] s = new double[30];
    java.util.Arrays.setAll(s, i -> i);
    // 0.1 * 30 is 3.0000000000000004 in doubles; the policy must still take 3 rows.
    assertThat(new CwplFreezePolicy(0.1).select(net(layer("a", s))).unfrozenCount("a"))
        .isEqualTo(3);
    // a single row needs only a tiny p
    assertThat(new CwplFreezePolicy(0.01).select(net(layer("b", 1, 2))).unfrozenRows("b"))
        .containsExactly(1);
  }

  @Test
  void zeroAndOneAreNoneAndAll() {
    NetworkImportance n = net(layer("a", 3, 1, 2), layer("e"));
    assertThat(render(new CwplFreezePolicy(0).select(n))).isEqualTo("a:[] e:[]");
    assertThat(render(new CwplFreezePolicy(1).select(n))).isEqualTo("a:[0, 1, 2] e:[]");
  }

  @Test
  void rejectsAFractionOutsideTheUnitInterval() {
    assertThatThrownBy(() -> new CwplFreezePolicy(1.5)).hasMessage("p must be in [0, 1] (was 1.5)");
    assertThatThrownBy(() -> new CwplFreezePolicy(Double.NaN)).hasMessageContaining("NaN");
  }
}
