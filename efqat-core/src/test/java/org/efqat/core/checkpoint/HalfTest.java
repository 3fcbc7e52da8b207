package org.efqat.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HalfTest {
  private static short h(int bits) {
    return (short) bits;
  }

  private static int bitsOf(float f) {
    return Half.fromFloat(f) & 0xFFFF;
  }

  @Test
  void toFloatMatchesTheDefinitionForEveryBitPattern() {
    for (int bits = 0; bits < 0x10000; bits++) {
      int exp = (bits >>> 10) & 0x1F;
      int mant = bits & 0x3FF;
      double sign = (bits & 0x8000) != 0 ? -1 : 1;
      float actual = Half.toFloat(h(bits));
      if (exp == 0x1F) {
        if (mant == 0) {
          assertThat(actual).isEqualTo((float) (sign * Double.POSITIVE_INFINITY));
        } else {
          assertThat(actual).isNaN();
        }
        continue;
      }
      double magnitude =
          exp == 0 ? Math.scalb((double) mant, -24) : Math.scalb(1024.0 + mant, exp - 25);
      float expected = (float) (sign * magnitude);
      assertThat(Float.floatToRawIntBits(actual))
          .as("bits 0x%04x", bits)
          .isEqualTo(Float.floatToRawIntBits(expected));
    }
  }

  @Test
  void fromFloatInvertsToFloatForEveryNonNanBitPattern() {
    for (int bits = 0; bits < 0x10000; bits++) {
      float f = Half.toFloat(h(bits));
      if (Float.isNaN(f)) {
        assertThat(Half.toFloat(Half.fromFloat(f))).isNaN();
      } else {
        assertThat(bitsOf(f)).as("bits 0x%04x", bits).isEqualTo(bits);
      }
    }
  }

  @Test
  void specialValues() {
    assertThat(bitsOf(0f)).isEqualTo(0x0000);
    assertThat(bitsOf(-0f)).isEqualTo(0x8000);
    assertThat(bitsOf(Float.POSITIVE_INFINITY)).isEqualTo(0x7C00);
    assertThat(bitsOf(Float.NEGATIVE_INFINITY)).isEqualTo(0xFC00);
    assertThat(Half.toFloat(Half.fromFloat(Float.NaN))).isNaN();
    assertThat(Half.toFloat(Half.fromFloat(Float.intBitsToFloat(0x7F80_0001)))).isNaN();
    assertThat(bitsOf(65504f)).isEqualTo(0x7BFF);
    assertThat(bitsOf(-65504f)).isEqualTo(0xFBFF);
    assertThat(bitsOf(65519.996f)).isEqualTo(0x7BFF); // just below the tie: down
    assertThat(bitsOf(65520f)).isEqualTo(0x7C00); // tie between 65504 and 2^16: to even, infinity
    assertThat(bitsOf(Float.MAX_VALUE)).isEqualTo(0x7C00);
    assertThat(bitsOf(1f)).isEqualTo(0x3C00);
    assertThat(bitsOf(0x1p-14f)).isEqualTo(0x0400); // smallest normal
    assertThat(bitsOf(Float.MIN_VALUE)).isEqualTo(0x0000);
  }

  @Test
  void subnormals() {
    assertThat(bitsOf(0x1p-24f)).isEqualTo(0x0001); // smallest subnormal
    assertThat(bitsOf(-0x1p-24f)).isEqualTo(0x8001);
    assertThat(bitsOf(1023 * 0x1p-24f)).isEqualTo(0x03FF); // largest subnormal
    assertThat(bitsOf(0x1p-25f)).isEqualTo(0x0000); // tie between 0 and 2^-24: to even 0
    assertThat(bitsOf(-0x1p-25f)).isEqualTo(0x8000);
    assertThat(bitsOf(Math.nextUp(0x1p-25f))).isEqualTo(0x0001);
    assertThat(bitsOf(1.5f * 0x1p-24f)).isEqualTo(0x0002); // tie between 1 and 2: to even 2
    assertThat(bitsOf(2.5f * 0x1p-24f)).isEqualTo(0x0002); // tie between 2 and 3: to even 2
    assertThat(bitsOf(1023.5f * 0x1p-24f)).isEqualTo(0x0400); // tie up into the normals
    assertThat(Half.toFloat(h(0x0001))).isEqualTo(0x1p-24f);
    assertThat(Half.toFloat(h(0x03FF))).isEqualTo(1023 * 0x1p-24f);
  }

  @Test
  void normalTiesRoundToEven() {
    assertThat(bitsOf(1f + 0x1p-11f)).isEqualTo(0x3C00); // between 0x3C00 and 0x3C01: even
    assertThat(bitsOf(1f + 3 * 0x1p-11f)).isEqualTo(0x3C02); // between 0x3C01 and 0x3C02: even
    assertThat(bitsOf(Math.nextUp(1f + 0x1p-11f))).isEqualTo(0x3C01);
    assertThat(bitsOf(Math.nextDown(1f + 3 * 0x1p-11f))).isEqualTo(0x3C01);
    assertThat(bitsOf(2047f + 0.5f)).isEqualTo(0x6800); // 2047.5 -> 2048 (carry into exponent)
    assertThat(bitsOf(-(1f + 3 * 0x1p-11f))).isEqualTo(0xBC02);
  }

  @Test
  void randomFloatsRoundToTheNearestHalfWithTiesToEven() {
    SplittableRandom random = new SplittableRandom(20240601L);
    int checked = 0;
    while (checked < 200_000) {
      float f = Float.intBitsToFloat(random.nextInt());
      if (Float.isNaN(f) || Math.abs(f) >= 65520f) {
        continue;
      }
      checked++;
      int bits = bitsOf(f);
      int sign = bits & 0x8000;
      int mag = bits & 0x7FFF;
      double err = Math.abs((double) Half.toFloat(h(bits)) - f);
      for (int neighbor : new int[] {mag - 1, mag + 1}) {
        if (neighbor < 0 || neighbor > 0x7BFF) {
          continue;
        }
        double other = Math.abs((double) Half.toFloat(h(sign | neighbor)) - f);
        assertThat(err).as("%s -> 0x%04x", f, bits).isLessThanOrEqualTo(other);
        if (err == other) {
          assertThat(mag & 1).as("tie %s -> 0x%04x is even", f, bits).isZero();
        }
      }
    }
  }

  @Test
  void bfloat16IsTheUpperHalfOfAFloat() {
    assertThat(Half.bfloat16ToFloat(h(0x3F80))).isEqualTo(1f);
    assertThat(Half.bfloat16ToFloat(h(0xC000))).isEqualTo(-2f);
    assertThat(Half.bfloat16ToFloat(h(0x4049))).isEqualTo(3.140625f);
    assertThat(Half.bfloat16ToFloat(h(0x7F80))).isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(Half.bfloat16ToFloat(h(0x7FC0))).isNaN();
    assertThat(Float.floatToRawIntBits(Half.bfloat16ToFloat(h(0x8000)))).isEqualTo(0x8000_0000);
  }
}
