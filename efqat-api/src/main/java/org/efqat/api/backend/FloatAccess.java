package org.efqat.api.backend;

import java.nio.FloatBuffer;

/**
 * Indexed access to the FP32 values of a tensor's storage wherever it lives: a heap array, a direct
 * {@link FloatBuffer} over native memory, or a backend's own buffer type. The kernels of {@link
 * ParameterKernels} run on it, so every backend and the heap reference compute bit for bit the same
 * parameter updates. Indices are row-major element positions; concurrent {@code get} and {@code
 * set} of distinct indices must be safe.
 */
public interface FloatAccess {
  /**
   * @param i the element
   * @return its value
   */
  float get(long i);

  /**
   * @param i the element
   * @param value its new value
   */
  void set(long i, float value);

  /**
   * @param values a heap array, used in place
   * @return access to it
   */
  static FloatAccess of(float[] values) {
    return new FloatAccess() {
      @Override
      public float get(long i) {
        return values[(int) i];
      }

      @Override
      public void set(long i, float value) {
        values[(int) i] = value;
      }
    };
  }

  /**
   * @param buffer a buffer (heap or direct), read and written at absolute positions from 0
   * @return access to it
   */
  static FloatAccess of(FloatBuffer buffer) {
    return new FloatAccess() {
      @Override
      public float get(long i) {
        return buffer.get((int) i);
      }

      @Override
      public void set(long i, float value) {
        buffer.put((int) i, value);
      }
    };
  }
}
