package org.efqat.core.quant;

import org.efqat.api.quant.QuantGrid;

/**
 * Fixed-range fake quantization with a plain straight-through estimator: the calibrated step and
 * zero point never train (their gradients are 0); the input gradient passes inside the range.
 */
public final class FixedSteQuantizer extends AffineFakeQuantizer {
  /**
   * @param bits the bit width, 2 to 8
   * @param signed symmetric signed grid (weights) or asymmetric unsigned grid (activations)
   */
  public FixedSteQuantizer(int bits, boolean signed) {
    super(new QuantGrid(bits, signed), false, false);
  }
}
