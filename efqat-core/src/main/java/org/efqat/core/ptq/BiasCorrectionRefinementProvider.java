package org.efqat.core.ptq;

import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;

/** Registers {@link BiasCorrectionRefinement} as {@code bias-correction}. */
public final class BiasCorrectionRefinementProvider
    extends AbstractComponentProvider<PtqRefinement, BiasCorrectionConfig>
    implements PtqRefinementProvider<BiasCorrectionConfig> {
  /** Registers the refinement. */
  public BiasCorrectionRefinementProvider() {
    super(
        "bias-correction",
        BiasCorrectionConfig.class,
        "empirical bias correction: shifts each layer's bias by its mean output error");
  }

  @Override
  public PtqRefinement create(BiasCorrectionConfig config, ComponentContext context) {
    return new BiasCorrectionRefinement(config);
  }
}
