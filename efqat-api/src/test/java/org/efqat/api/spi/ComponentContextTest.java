package org.efqat.api.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ComponentContextTest {
  @Test
  void sameSeedAndNameGiveTheSameStreamInAnyOrder() {
    ComponentContext a = ComponentContext.ofSeed(42);
    ComponentContext b = ComponentContext.ofSeed(42);
    b.random("data.shuffle").nextLong(); // another component drawing first changes nothing
    assertThat(a.random("freeze.random").nextLong())
        .isEqualTo(b.random("freeze.random").nextLong());
  }

  @Test
  void namesAndSeedsSeparateTheStreams() {
    ComponentContext c = ComponentContext.ofSeed(42);
    assertThat(c.random("a").nextLong()).isNotEqualTo(c.random("b").nextLong());
    assertThat(ComponentContext.ofSeed(1).random("a").nextLong())
        .isNotEqualTo(ComponentContext.ofSeed(2).random("a").nextLong());
  }

  @Test
  void theStreamIsStableAcrossReleases() {
    // Changing the derivation silently changes every seeded result; this pins it.
    assertThat(ComponentContext.ofSeed(0).random("freeze.random").nextLong())
        .isEqualTo(-7418726469945750437L);
    assertThat(ComponentContext.ofSeed(123).random("data.shuffle").nextInt(1000)).isEqualTo(26);
    assertThat(ComponentContext.ofSeed(7).seed()).isEqualTo(7);
  }
}
