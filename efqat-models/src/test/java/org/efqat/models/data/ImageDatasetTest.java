package org.efqat.models.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.FloatBuffer;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

class ImageDatasetTest {
  /** 3 images of 2x2x2: value = i*100 + y*10 + x*2 + c (unscaled, fine for an ImageDataset). */
  static ImageDataset small() {
    float[] p = new float[3 * 8];
    for (int i = 0; i < 3; i++) {
      for (int y = 0; y < 2; y++) {
        for (int x = 0; x < 2; x++) {
          for (int c = 0; c < 2; c++) {
            p[((i * 2 + y) * 2 + x) * 2 + c] = i * 100 + y * 10 + x * 2 + c;
          }
        }
      }
    }
    return ImageDataset.of("small", 2, 2, 2, 4, p, new int[] {2, 0, 3});
  }

  @Test
  void indexesNhwc() {
    ImageDataset d = small();
    assertThat(d.imageSize()).isEqualTo(8);
    assertThat(d.pixel(2, 1, 0, 1)).isEqualTo(211f);
    float[] dst = new float[10];
    d.copyImage(1, dst, 2);
    assertThat(dst).containsExactly(0, 0, 100, 101, 102, 103, 110, 111, 112, 113);
    assertThat(d.classCounts()).containsExactly(1, 0, 1, 1);
    assertThat(d).hasToString("small[3 x 2x2x2, 4 classes]");
  }

  @Test
  void isImmutable() {
    float[] p = new float[8];
    int[] labels = {1};
    ImageDataset d = ImageDataset.of("d", 2, 2, 2, 2, p, labels);
    p[0] = 5;
    labels[0] = 0;
    d.pixels()[1] = 7;
    d.labels()[0] = 0;
    assertThat(d.pixel(0, 0, 0, 0)).isZero();
    assertThat(d.pixel(0, 0, 0, 1)).isZero();
    assertThat(d.label(0)).isEqualTo(1);
    FloatBuffer view = d.pixelView();
    assertThatThrownBy(() -> view.put(0, 1f)).isInstanceOf(ReadOnlyBufferException.class);
  }

  @Test
  void headKeepsTheFirstSamples() {
    ImageDataset d = small();
    ImageDataset h = d.head(2);
    assertThat(h.size()).isEqualTo(2);
    assertThat(h.labels()).containsExactly(2, 0);
    assertThat(h.pixel(1, 1, 1, 1)).isEqualTo(113f);
    assertThat(h.name()).isEqualTo("small");
    assertThat(d.head(3)).isSameAs(d);
    assertThat(d.head(99)).isSameAs(d);
    assertThat(d.head(0).size()).isZero();
  }

  @Test
  void rejectsInconsistentArrays() {
    assertThatThrownBy(() -> ImageDataset.of("d", 2, 2, 1, 2, new float[7], new int[2]))
        .hasMessage("d: 2 labels need 8 pixel values (2x2x1 each), got 7");
    assertThatThrownBy(() -> ImageDataset.of("d", 1, 1, 1, 2, new float[2], new int[] {0, 2}))
        .hasMessage("d: label 2 at index 1 is outside 0..1");
    assertThatThrownBy(() -> ImageDataset.of("d", 0, 1, 1, 2, new float[0], new int[0]))
        .hasMessage("image shape must be positive, got 0x1x1");
  }
}
