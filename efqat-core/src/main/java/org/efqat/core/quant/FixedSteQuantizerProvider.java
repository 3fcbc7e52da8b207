package org.efqat.core.quant;

import org.efqat.api.quant.Quantizer;
import org.efqat.api.quant.QuantizerProvider;
import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;

/** Registers {@link FixedSteQuantizer} as {@code fixed-ste}. */
public final class FixedSteQuantizerProvider
    extends AbstractComponentProvider<Quantizer, FixedSteConfig>
    implements QuantizerProvider<FixedSteConfig> {
  /** Called by {@link java.util.ServiceLoader}. */
  public FixedSteQuantizerProvider() {
    super(
        "fixed-ste",
        FixedSteConfig.class,
        "fixed calibrated range, straight-through gradient only");
  }

  @Override
  public Quantizer create(FixedSteConfig config, ComponentContext context) {
    return new FixedSteQuantizer(config.bits(), config.signed());
  }
}
