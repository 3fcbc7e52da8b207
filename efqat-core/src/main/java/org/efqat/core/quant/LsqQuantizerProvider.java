package org.efqat.core.quant;

import org.efqat.api.quant.Quantizer;
import org.efqat.api.quant.QuantizerProvider;
import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;

/** Registers {@link LsqQuantizer} as {@code lsq}. */
public final class LsqQuantizerProvider extends AbstractComponentProvider<Quantizer, LsqConfig>
    implements QuantizerProvider<LsqConfig> {
  /** Called by {@link java.util.ServiceLoader}. */
  public LsqQuantizerProvider() {
    super("lsq", LsqConfig.class, "LSQ: symmetric signed grid, learnable step (weights)");
  }

  @Override
  public Quantizer create(LsqConfig config, ComponentContext context) {
    return new LsqQuantizer(config.bits());
  }
}
