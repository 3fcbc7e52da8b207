package org.efqat.api.quant;

/**
 * The integer grid of a quantizer: values are rounded to {@code [qmin, qmax]}.
 *
 * @param bits the bit width, 2 to 8 (int8 at most: these grids are for INT deployment)
 * @param signed symmetric signed grid {@code [-2^(b-1), 2^(b-1)-1]} (weights) or unsigned {@code
 *     [0, 2^b-1]} with a zero point (activations)
 */
public record QuantGrid(int bits, boolean signed) {
  /** Smallest supported bit width. */
  public static final int MIN_BITS = 2;

  /** Largest supported bit width. */
  public static final int MAX_BITS = 8;

  /** Checks the bit width. */
  public QuantGrid {
    if (bits < MIN_BITS || bits > MAX_BITS) {
      throw new IllegalArgumentException(
          "bits must be in [" + MIN_BITS + ", " + MAX_BITS + "] (was " + bits + ")");
    }
  }

  /**
   * @return the smallest integer level
   */
  public int qmin() {
    return signed ? -(1 << (bits - 1)) : 0;
  }

  /**
   * @return the largest integer level
   */
  public int qmax() {
    return signed ? (1 << (bits - 1)) - 1 : (1 << bits) - 1;
  }
}
