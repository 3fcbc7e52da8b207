package org.efqat.api.backend;

import java.util.stream.LongStream;

/**
 * Inverted-dropout masks drawn where the tensor lives: element {@code i} is {@code 0} with
 * probability {@code p} and {@code 1/(1 − p)} otherwise. The draw of element {@code i} is the
 * {@code i}-th {@code nextFloat()} of {@code java.util.SplittableRandom(seed)}, computed from
 * {@code i} alone (SplittableRandom is counter-based: its {@code i}-th value mixes {@code seed + (i
 * + 1)·γ}), so a mask is the same on every backend, on the heap, and whatever the thread count.
 */
public final class DropoutMasks {
  /** SplittableRandom's default increment γ. */
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  /** Elements per parallel task. */
  private static final long CHUNK = 1 << 16;

  private DropoutMasks() {}

  /**
   * @param out the mask, written
   * @param size its element count
   * @param seed the stream's seed
   * @param probability {@code p} in {@code [0, 1)}
   */
  public static void fill(FloatAccess out, long size, long seed, float probability) {
    float scale = 1f / (1f - probability);
    LongStream.range(0, (size + CHUNK - 1) / CHUNK)
        .parallel()
        .forEach(
            c -> {
              long end = Math.min(size, (c + 1) * CHUNK);
              for (long i = c * CHUNK; i < end; i++) {
                out.set(i, uniform(seed, i) < probability ? 0f : scale);
              }
            });
  }

  /**
   * @return the {@code i}-th {@code nextFloat()} of {@code new SplittableRandom(seed)}
   */
  static float uniform(long seed, long i) {
    long z = seed + (i + 1) * GOLDEN_GAMMA;
    z = (z ^ (z >>> 33)) * 0x62a9d9ed799705f5L;
    int bits = (int) (((z ^ (z >>> 28)) * 0xcb24d0a5c88c35b3L) >>> 32);
    return (bits >>> 8) * 0x1.0p-24f;
  }
}
