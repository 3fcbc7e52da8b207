package org.efqat.core.quant;

/**
 * Options of {@code lsq-plus}.
 *
 * @param bits the bit width, 2 to 8; default {@value LsqConfig#DEFAULT_BITS}
 * @param learnZeroPoint whether the zero point trains; default {@code true}
 */
public record LsqPlusConfig(Integer bits, Boolean learnZeroPoint) {
  /** Applies the defaults and validates. */
  public LsqPlusConfig {
    bits = QuantConfigs.bits(bits, LsqConfig.DEFAULT_BITS);
    learnZeroPoint = learnZeroPoint == null || learnZeroPoint;
  }
}
