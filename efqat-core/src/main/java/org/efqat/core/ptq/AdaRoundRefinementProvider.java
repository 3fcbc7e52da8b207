package org.efqat.core.ptq;

import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;

/** Registers {@link AdaRoundRefinement} as {@code adaround}. */
public final class AdaRoundRefinementProvider
    extends AbstractComponentProvider<PtqRefinement, AdaRoundConfig>
    implements PtqRefinementProvider<AdaRoundConfig> {
  /** Registers the refinement. */
  public AdaRoundRefinementProvider() {
    super(
        "adaround",
        AdaRoundConfig.class,
        "AdaRound: learns each weight's rounding (up or down) per layer to reconstruct its output");
  }

  @Override
  public PtqRefinement create(AdaRoundConfig config, ComponentContext context) {
    return new AdaRoundRefinement(config);
  }
}
