package org.efqat.core.checkpoint;

/**
 * Conversions between FP32 and the 16-bit float formats of checkpoints (IEEE 754 binary16 and
 * bfloat16), bit-exact and branch-light. Java 20 added {@code Float.floatToFloat16}; this class
 * exists because the project targets Java 17.
 */
public final class Half {
  /** The largest finite binary16 value, 65504. */
  public static final float MAX_VALUE = 65504f;

  private Half() {}

  /**
   * Widens a binary16 value exactly.
   *
   * @param bits binary16 bits (sign, 5-bit exponent, 10-bit mantissa)
   * @return the same value as a float; NaN payloads keep their 10 bits in the top of the mantissa
   */
  public static float toFloat(short bits) {
    int h = bits & 0xFFFF;
    int sign = (h & 0x8000) << 16;
    int exp = (h >>> 10) & 0x1F;
    int mant = h & 0x3FF;
    if (exp == 0x1F) { // infinity or NaN
      return Float.intBitsToFloat(sign | 0x7F80_0000 | (mant << 13));
    }
    if (exp == 0) { // zero or subnormal: mant * 2^-24, exact in float
      float v = mant * 0x1p-24f;
      return sign == 0 ? v : -v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  /**
   * Narrows a float to binary16, rounding to nearest with ties to even (IEEE 754 default, as
   * PyTorch's {@code .half()} and NumPy's {@code astype(float16)} do). Magnitudes of 65520 and
   * above become infinity, magnitudes of 2^-25 and below become a signed zero, NaN stays NaN
   * (quiet, keeping the top 10 payload bits when they are not all zero).
   *
   * @param f the value
   * @return binary16 bits
   */
  public static short fromFloat(float f) {
    int bits = Float.floatToRawIntBits(f);
    int sign = (bits >>> 16) & 0x8000;
    int abs = bits & 0x7FFF_FFFF;
    if (abs >= 0x7F80_0000) { // infinity or NaN
      if (abs == 0x7F80_0000) {
        return (short) (sign | 0x7C00);
      }
      int payload = (abs >>> 13) & 0x3FF;
      return (short) (sign | 0x7C00 | 0x200 | payload);
    }
    if (abs >= 0x477F_F000) { // >= 65520: rounds past 65504
      return (short) (sign | 0x7C00);
    }
    if (abs >= 0x3880_0000) { // >= 2^-14: normal; rebias the exponent by 127 - 15 = 112
      int h = (abs - 0x3800_0000) >>> 13;
      int rest = abs & 0x1FFF;
      if (rest > 0x1000 || (rest == 0x1000 && (h & 1) != 0)) {
        h++; // a carry into the exponent is the right answer
      }
      return (short) (sign | h);
    }
    if (abs <= 0x3300_0000) { // <= 2^-25: rounds to zero (2^-25 itself is a tie, to even 0)
      return (short) sign;
    }
    // Subnormal result: value = m * 2^(e - 150), in units of 2^-24 that is m >> (126 - e).
    int e = abs >>> 23;
    int m = (abs & 0x7F_FFFF) | 0x80_0000;
    int shift = 126 - e; // 14..24
    int h = m >>> shift;
    int rest = m & ((1 << shift) - 1);
    int halfway = 1 << (shift - 1);
    if (rest > halfway || (rest == halfway && (h & 1) != 0)) {
      h++; // may become 0x400, the smallest normal, which is right
    }
    return (short) (sign | h);
  }

  /**
   * Widens a bfloat16 value exactly.
   *
   * @param bits bfloat16 bits, the upper half of a binary32
   * @return the value
   */
  public static float bfloat16ToFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xFFFF) << 16);
  }
}
