package org.efqat.core.quant;

import org.efqat.api.quant.QuantGrid;

/**
 * LSQ (Esser et al., 2020) for weights: symmetric signed grid, zero point 0, learnable step per
 * group (per output channel in EfQAT, DESIGN.md 1.1).
 */
public final class LsqQuantizer extends AffineFakeQuantizer {
  /**
   * @param bits the bit width, 2 to 8
   */
  public LsqQuantizer(int bits) {
    super(new QuantGrid(bits, true), true, false);
  }
}
