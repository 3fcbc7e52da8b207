package org.efqat.models.data;

import java.util.Arrays;
import java.util.Locale;

/**
 * Per-channel normalization {@code x' = (x - mean[c]) / std[c]} of NHWC pixel values in {@code [0,
 * 1]}, applied on the fly by {@link BatchIterator}. Computed in {@code float}: the mean and
 * standard deviation are held as the {@code float} nearest to the given {@code double}.
 *
 * <p>Each dataset component holds its own published constants (mean and standard deviation of all
 * pixels of its full training set, on the {@code [0, 1]} scale); {@link #fromData} computes them
 * for data without published ones.
 */
public final class Normalization {
  /** No normalization; fits any number of channels. */
  public static final Normalization NONE = new Normalization(new float[0], new float[0]);

  private final float[] mean;
  private final float[] std;

  private Normalization(float[] mean, float[] std) {
    this.mean = mean;
    this.std = std;
  }

  /**
   * @param mean per-channel mean, at least one channel
   * @param std per-channel standard deviation, same length, every value finite and {@code > 0}
   * @return the normalization
   */
  public static Normalization of(double[] mean, double[] std) {
    if (mean.length == 0 || mean.length != std.length) {
      throw new IllegalArgumentException(
          "mean and std need the same, non-zero number of channels, got "
              + mean.length
              + " and "
              + std.length);
    }
    float[] m = new float[mean.length];
    float[] s = new float[std.length];
    for (int c = 0; c < mean.length; c++) {
      if (!Double.isFinite(mean[c]) || !(std[c] > 0) || !Double.isFinite(std[c])) {
        throw new IllegalArgumentException(
            "channel "
                + c
                + ": mean must be finite and std finite and > 0, got mean "
                + mean[c]
                + ", std "
                + std[c]);
      }
      m[c] = (float) mean[c];
      s[c] = (float) std[c];
    }
    return new Normalization(m, s);
  }

  /**
   * The per-channel mean and (population) standard deviation of a dataset's pixels, for data
   * without published constants (a constant channel gets std 1).
   *
   * @param data the dataset, at least one image
   * @return its normalization
   */
  public static Normalization fromData(ImageDataset data) {
    if (data.size() == 0) {
      throw new IllegalArgumentException(data.name() + " is empty");
    }
    int channels = data.channels();
    double[] sum = new double[channels];
    double[] sumSq = new double[channels];
    float[] p = data.rawPixels();
    for (int i = 0; i < p.length; i++) {
      int c = i % channels;
      sum[c] += p[i];
      sumSq[c] += (double) p[i] * p[i];
    }
    double n = (double) p.length / channels;
    double[] mean = new double[channels];
    double[] std = new double[channels];
    for (int c = 0; c < channels; c++) {
      mean[c] = sum[c] / n;
      double variance = Math.max(0, sumSq[c] / n - mean[c] * mean[c]);
      std[c] = variance > 0 ? Math.sqrt(variance) : 1;
    }
    return of(mean, std);
  }

  /**
   * @return the number of channels, 0 for {@link #NONE} (which fits any)
   */
  public int channels() {
    return mean.length;
  }

  /**
   * @return whether this leaves values unchanged
   */
  public boolean isIdentity() {
    return mean.length == 0;
  }

  /**
   * @param c a channel
   * @return its mean
   */
  public float mean(int c) {
    return mean[c];
  }

  /**
   * @param c a channel
   * @return its standard deviation
   */
  public float std(int c) {
    return std[c];
  }

  /**
   * @param channels a dataset's channel count
   * @return whether this normalization can be applied to it
   */
  public boolean fits(int channels) {
    return isIdentity() || this.channels() == channels;
  }

  /**
   * Normalizes {@code length} values of HWC (or NHWC) data in place, starting at {@code offset}
   * with channel 0.
   *
   * @param values the data
   * @param offset the first value, a pixel's channel 0
   * @param length how many values, a multiple of {@link #channels()}
   */
  public void apply(float[] values, int offset, int length) {
    int channels = mean.length;
    if (channels == 0) {
      return;
    }
    if (length % channels != 0) {
      throw new IllegalArgumentException(
          length + " values are not whole pixels of " + channels + " channels");
    }
    if (channels == 1) {
      float m = mean[0];
      float s = std[0];
      for (int i = offset, end = offset + length; i < end; i++) {
        values[i] = (values[i] - m) / s;
      }
      return;
    }
    for (int i = offset, end = offset + length; i < end; i += channels) {
      for (int c = 0; c < channels; c++) {
        values[i + c] = (values[i + c] - mean[c]) / std[c];
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    if (isIdentity()) {
      return "Normalization[none]";
    }
    StringBuilder b = new StringBuilder("Normalization[mean=");
    for (int c = 0; c < mean.length; c++) {
      b.append(c == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", mean[c]));
    }
    b.append("; std=");
    for (int c = 0; c < std.length; c++) {
      b.append(c == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", std[c]));
    }
    return b.append(']').toString();
  }
}
