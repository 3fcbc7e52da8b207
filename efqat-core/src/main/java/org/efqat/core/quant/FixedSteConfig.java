package org.efqat.core.quant;

/**
 * Options of {@code fixed-ste}.
 *
 * @param bits the bit width, 2 to 8; default {@value LsqConfig#DEFAULT_BITS}
 * @param signed symmetric signed grid (for weights); {@code false} gives the asymmetric unsigned
 *     grid used for activations; default {@code true}
 */
public record FixedSteConfig(Integer bits, Boolean signed) {
  /** Applies the defaults and validates. */
  public FixedSteConfig {
    bits = QuantConfigs.bits(bits, LsqConfig.DEFAULT_BITS);
    signed = signed == null || signed;
  }
}
