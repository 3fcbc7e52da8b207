package org.efqat.core.ptq;

import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;

/** Registers {@link OutputMseRefinement} as {@code output-mse}. */
public final class OutputMseRefinementProvider
    extends AbstractComponentProvider<PtqRefinement, OutputMseConfig>
    implements PtqRefinementProvider<OutputMseConfig> {
  /** Registers the refinement. */
  public OutputMseRefinementProvider() {
    super(
        "output-mse",
        OutputMseConfig.class,
        "re-estimates each layer's input range by minimizing the error of the layer's output");
  }

  @Override
  public PtqRefinement create(OutputMseConfig config, ComponentContext context) {
    return new OutputMseRefinement(config);
  }
}
