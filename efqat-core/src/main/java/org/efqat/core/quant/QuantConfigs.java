package org.efqat.core.quant;

import org.efqat.api.quant.QuantGrid;
import org.efqat.api.spi.ConfigValueException;

/** Validation shared by the quantizer config records. */
final class QuantConfigs {
  private QuantConfigs() {}

  static int bits(Integer bits, int defaultBits) {
    int b = bits == null ? defaultBits : bits;
    ConfigValueException.requireInRange("bits", b, QuantGrid.MIN_BITS, QuantGrid.MAX_BITS);
    return b;
  }
}
