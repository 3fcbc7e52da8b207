package org.efqat.core.nn;

/**
 * The NHWC shape of an activation; a flat feature vector is {@code [n, 1, 1, c]}.
 *
 * @param n batch size
 * @param h height
 * @param w width
 * @param c channels
 */
public record FeatureShape(int n, int h, int w, int c) {
  /**
   * @return {@code [n, h, w, c]}
   */
  public long[] dims() {
    return new long[] {n, h, w, c};
  }

  /**
   * @return {@code [n·h·w, c]}: positions × channels
   */
  public long[] matrix() {
    return new long[] {(long) n * h * w, c};
  }

  /**
   * @return the number of elements
   */
  public long size() {
    return (long) n * h * w * c;
  }

  /**
   * @param channels a channel count
   * @return the same positions with other channels
   */
  public FeatureShape withChannels(int channels) {
    return new FeatureShape(n, h, w, channels);
  }

  @Override
  public String toString() {
    return "[" + n + ", " + h + ", " + w + ", " + c + "]";
  }
}
