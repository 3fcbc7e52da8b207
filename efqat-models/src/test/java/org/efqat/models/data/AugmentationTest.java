package org.efqat.models.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AugmentationTest {
  /** A 3x4 grey image, value = 10*y + x + 1 (so 0 means padding). */
  private static final float[] IMAGE = {
    1, 2, 3, 4,
    11, 12, 13, 14,
    21, 22, 23, 24,
  };

  private static float[] transform(int dy, int dx, boolean flip) {
    float[] dst = new float[2 + 12];
    Arrays.fill(dst, -1f);
    Augmentation.transform(IMAGE, 0, 3, 4, 1, dy, dx, flip, dst, 2);
    assertThat(dst[0]).isEqualTo(-1f);
    assertThat(dst[1]).isEqualTo(-1f);
    return Arrays.copyOfRange(dst, 2, 14);
  }

  @Test
  void identity() {
    assertThat(transform(0, 0, false)).containsExactly(IMAGE);
  }

  @Test
  void flipMirrorsEachRow() {
    assertThat(transform(0, 0, true)).containsExactly(4, 3, 2, 1, 14, 13, 12, 11, 24, 23, 22, 21);
  }

  @Test
  void cropShiftsWithZeroPadding() {
    // crop at offset (pad+1, pad-2) of the padded image: dst[y][x] = src[y+1][x-2]
    assertThat(transform(1, -2, false)).containsExactly(0, 0, 11, 12, 0, 0, 21, 22, 0, 0, 0, 0);
    assertThat(transform(-1, 1, false)).containsExactly(0, 0, 0, 0, 2, 3, 4, 0, 12, 13, 14, 0);
    assertThat(transform(0, 4, false)).containsOnly(0f);
  }

  @Test
  void cropThenFlip() {
    // dst[y][x] = src[y-1][(3-x)+1]
    assertThat(transform(-1, 1, true)).containsExactly(0, 0, 0, 0, 0, 4, 3, 2, 0, 14, 13, 12);
  }

  @Test
  void multiChannelPixelsMoveTogether() {
    float[] src = {1, -1, 2, -2, 3, -3}; // 1x3x2
    float[] dst = new float[6];
    Augmentation.transform(src, 0, 1, 3, 2, 0, 1, true, dst, 0);
    // dst[x] = src[(2-x)+1]: x=0 -> out of range, x=1 -> src[2], x=2 -> src[1]
    assertThat(dst).containsExactly(0, 0, 3, -3, 2, -2);
    Augmentation.transform(src, 0, 1, 3, 2, 0, -1, false, dst, 0);
    assertThat(dst).containsExactly(0, 0, 1, -1, 2, -2);
  }
}
