package org.efqat.core.freeze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.efqat.core.freeze.Tables.layer;
import static org.efqat.core.freeze.Tables.net;
import static org.efqat.core.freeze.Tables.render;

import org.efqat.api.freeze.NetworkImportance;
import org.junit.jupiter.api.Test;

class AllAndNoneFreezePolicyTest {
  private final NetworkImportance n = net(layer("a", 3, 1, 2), layer("e"), layer("b", 7));

  @Test
  void allUnfreezesEveryRowAndEqualsCwpnAtOne() {
    assertThat(render(new AllFreezePolicy().select(n))).isEqualTo("a:[0, 1, 2] e:[] b:[0]");
    assertThat(new AllFreezePolicy().select(n)).isEqualTo(new CwpnFreezePolicy(1).select(n));
    assertThat(new AllFreezePolicy().select(n).unfrozenFraction()).isEqualTo(1.0);
  }

  @Test
  void noneFreezesEveryRowAndEqualsCwpnAtZero() {
    assertThat(render(new NoneFreezePolicy().select(n))).isEqualTo("a:[] e:[] b:[]");
    assertThat(new NoneFreezePolicy().select(n)).isEqualTo(new CwpnFreezePolicy(0).select(n));
  }
}
