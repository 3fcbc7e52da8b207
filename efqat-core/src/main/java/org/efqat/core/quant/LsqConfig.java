package org.efqat.core.quant;

/**
 * Options of {@code lsq}.
 *
 * @param bits the bit width, 2 to 8; default {@value #DEFAULT_BITS}
 */
public record LsqConfig(Integer bits) {
  /** The default bit width. */
  public static final int DEFAULT_BITS = 8;

  /** Applies the default and validates. */
  public LsqConfig {
    bits = QuantConfigs.bits(bits, DEFAULT_BITS);
  }
}
