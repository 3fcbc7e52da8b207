package org.efqat.core.quant;

import org.efqat.api.quant.Quantizer;
import org.efqat.api.quant.QuantizerProvider;
import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;

/** Registers {@link LsqPlusQuantizer} as {@code lsq-plus}. */
public final class LsqPlusQuantizerProvider
    extends AbstractComponentProvider<Quantizer, LsqPlusConfig>
    implements QuantizerProvider<LsqPlusConfig> {
  /** Called by {@link java.util.ServiceLoader}. */
  public LsqPlusQuantizerProvider() {
    super(
        "lsq-plus",
        LsqPlusConfig.class,
        "LSQ+: asymmetric unsigned grid, learnable step and zero point (activations)");
  }

  @Override
  public Quantizer create(LsqPlusConfig config, ComponentContext context) {
    return new LsqPlusQuantizer(config.bits(), config.learnZeroPoint());
  }
}
