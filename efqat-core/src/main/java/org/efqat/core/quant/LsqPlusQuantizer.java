package org.efqat.core.quant;

import org.efqat.api.quant.QuantGrid;

/**
 * LSQ+ (Bhalgat et al., 2020) for activations: asymmetric unsigned grid {@code [0, 2^b−1]} with a
 * learnable step and a learnable (continuous) zero point, per tensor in EfQAT (DESIGN.md 1.1).
 */
public final class LsqPlusQuantizer extends AffineFakeQuantizer {
  /**
   * @param bits the bit width, 2 to 8
   * @param learnZeroPoint whether the zero point trains; otherwise it keeps its calibrated value
   */
  public LsqPlusQuantizer(int bits, boolean learnZeroPoint) {
    super(new QuantGrid(bits, false), true, learnZeroPoint);
  }
}
