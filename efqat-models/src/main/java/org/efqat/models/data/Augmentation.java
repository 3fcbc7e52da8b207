package org.efqat.models.data;

import java.util.Arrays;

/**
 * Training-time augmentation: a random crop after zero-padding and a random horizontal flip, the
 * usual recipe for CIFAR-10 and Fashion-MNIST ResNets. Applied by {@link BatchIterator} on the raw
 * {@code [0, 1]} pixels, before normalization, so the padding is black (0) like torchvision's
 * {@code RandomCrop(size, padding=pad)} followed by {@code RandomHorizontalFlip()}.
 *
 * <p>Per sample, {@link BatchIterator} draws from its augmentation generator, in this order: {@code
 * flip = random.nextBoolean()} (only if {@link #flip()}), then {@code dy = random.nextInt(2 * pad +
 * 1) - pad} and {@code dx = random.nextInt(2 * pad + 1) - pad} (only if {@code pad > 0}), and
 * writes {@link #transform} of the image.
 *
 * @param pad zero-padding on every side before the crop, in pixels; 0 turns cropping off
 * @param flip whether to flip horizontally with probability 1/2
 */
public record Augmentation(int pad, boolean flip) {
  /** No augmentation. */
  public static final Augmentation NONE = new Augmentation(0, false);

  /** Validates. */
  public Augmentation {
    if (pad < 0) {
      throw new IllegalArgumentException("pad must be >= 0, got " + pad);
    }
  }

  /**
   * @param pad zero-padding before the random crop, in pixels
   * @return random crops after {@code pad} pixels of padding, and random horizontal flips
   */
  public static Augmentation cropAndFlip(int pad) {
    return new Augmentation(pad, true);
  }

  /**
   * The crops and flips EfQAT uses for an image height: 4 pixels of padding for images of 32 rows
   * or more (the CIFAR convention), 2 for smaller ones (28x28 MNIST-style images).
   *
   * @param height image rows
   * @return {@code cropAndFlip(height >= 32 ? 4 : 2)}
   */
  public static Augmentation cropAndFlipFor(int height) {
    return cropAndFlip(height >= 32 ? 4 : 2);
  }

  /**
   * @return whether this changes nothing
   */
  public boolean isNone() {
    return pad == 0 && !flip;
  }

  /**
   * Writes one shifted and possibly mirrored HWC image:
   *
   * <pre>
   * dst[y][x][c] = src[y + dy][x' + dx][c]   with x' = flip ? width - 1 - x : x,
   *              = 0                          where y + dy or x' + dx is outside the image.
   * </pre>
   *
   * This is the crop at offset {@code (pad + dy, pad + dx)} of the image zero-padded by {@code
   * pad}, then mirrored if {@code flip}.
   *
   * @param src source pixels
   * @param srcOffset where the source image starts
   * @param height rows
   * @param width columns
   * @param channels values per pixel
   * @param dy vertical shift
   * @param dx horizontal shift
   * @param flip mirror left-right
   * @param dst destination, must not overlap the source image
   * @param dstOffset where the destination image starts
   */
  public static void transform(
      float[] src,
      int srcOffset,
      int height,
      int width,
      int channels,
      int dy,
      int dx,
      boolean flip,
      float[] dst,
      int dstOffset) {
    int rowLength = width * channels;
    for (int y = 0; y < height; y++) {
      int out = dstOffset + y * rowLength;
      int sy = y + dy;
      if (sy < 0 || sy >= height) {
        Arrays.fill(dst, out, out + rowLength, 0f);
        continue;
      }
      int in = srcOffset + sy * rowLength;
      if (!flip) {
        // contiguous run: x in [max(0, -dx), min(width, width - dx))
        int x0 = Math.max(0, -dx);
        int x1 = Math.min(width, width - dx);
        if (x1 <= x0) {
          Arrays.fill(dst, out, out + rowLength, 0f);
          continue;
        }
        Arrays.fill(dst, out, out + x0 * channels, 0f);
        System.arraycopy(
            src, in + (x0 + dx) * channels, dst, out + x0 * channels, (x1 - x0) * channels);
        Arrays.fill(dst, out + x1 * channels, out + rowLength, 0f);
        continue;
      }
      for (int x = 0; x < width; x++) {
        int sx = width - 1 - x + dx;
        int o = out + x * channels;
        if (sx < 0 || sx >= width) {
          for (int c = 0; c < channels; c++) {
            dst[o + c] = 0f;
          }
        } else {
          int i = in + sx * channels;
          for (int c = 0; c < channels; c++) {
            dst[o + c] = src[i + c];
          }
        }
      }
    }
  }
}
