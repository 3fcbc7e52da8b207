package com.example.efqat;

import static org.assertj.core.api.Assertions.assertThat;

import org.efqat.api.freeze.FreezePolicy;
import org.efqat.api.freeze.NetworkImportance;
import org.efqat.api.importance.LayerImportance;
import org.efqat.api.spi.ComponentContext;
import org.efqat.testkit.FreezePolicyContractTest;
import org.junit.jupiter.api.Test;

/** The contract every policy passes, plus what makes this one sticky. */
class StickyFreezePolicyTest extends FreezePolicyContractTest {
  @Override
  protected FreezePolicy createPolicy(ComponentContext context) {
    return new StickyFreezePolicyProvider().create(new StickyConfig(0.3, null), context);
  }

  @Test
  void keepsATrainedRowWhileItStaysNearTheTop() {
    FreezePolicy sticky = new StickyFreezePolicy(0.25, 1.0); // k = 1 of 4, keep within top 2
    NetworkImportance first =
        NetworkImportance.of(new LayerImportance("a", new double[] {4, 3, 2, 1}));
    NetworkImportance second =
        NetworkImportance.of(new LayerImportance("a", new double[] {3, 4, 2, 1}));
    NetworkImportance third =
        NetworkImportance.of(new LayerImportance("a", new double[] {1, 4, 3, 2}));
    assertThat(sticky.select(first).unfrozenRows("a")).containsExactly(0);
    assertThat(sticky.select(second).unfrozenRows("a")).containsExactly(0); // rank 2: kept
    assertThat(sticky.select(third).unfrozenRows("a")).containsExactly(1); // rank 4: replaced
  }

  @Test
  void withoutSlackItIsChannelWisePerNetwork() {
    FreezePolicy sticky = new StickyFreezePolicy(0.5, 0.0);
    sticky.select(NetworkImportance.of(new LayerImportance("a", new double[] {4, 3, 2, 1})));
    NetworkImportance next =
        NetworkImportance.of(new LayerImportance("a", new double[] {1, 2, 3, 4}));
    assertThat(sticky.select(next).unfrozenRows("a")).containsExactly(2, 3);
  }
}
