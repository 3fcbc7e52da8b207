package org.efqat.core.profile;

import java.util.EnumMap;
import java.util.Map;

/**
 * Wall-clock nanoseconds and call counts per {@link Kernel}, and the bytes that crossed between the
 * Java heap and the backend (every {@code float[]} and {@code int[]} a {@link
 * org.efqat.api.backend.TensorOps} call takes or returns: uploads, downloads, per-channel vectors,
 * row indices), accumulated by a {@link ProfilingBackend}. Times are host-side around each call;
 * they equal kernel times on synchronous (CPU) backends. Not thread-safe, like the backend it
 * belongs to.
 */
@SuppressWarnings("EnumOrdinal") // the ordinal indexes the per-kernel arrays: no boxing per call
public final class KernelProfile {
  private final long[] nanos = new long[Kernel.values().length];
  private final long[] calls = new long[Kernel.values().length];
  private long bytesToBackend;
  private long bytesToHeap;

  void record(Kernel kernel, long elapsedNanos) {
    nanos[kernel.ordinal()] += elapsedNanos;
    calls[kernel.ordinal()]++;
  }

  void transferred(long toBackend, long toHeap) {
    bytesToBackend += toBackend;
    bytesToHeap += toHeap;
  }

  /**
   * @return bytes copied from the Java heap to the backend since creation or the last {@link
   *     #reset()}
   */
  public long bytesToBackend() {
    return bytesToBackend;
  }

  /**
   * @return bytes copied from the backend to the Java heap since creation or the last {@link
   *     #reset()}
   */
  public long bytesToHeap() {
    return bytesToHeap;
  }

  /**
   * @param kernel a kernel
   * @return nanoseconds spent in it since creation or the last {@link #reset()}
   */
  public long nanos(Kernel kernel) {
    return nanos[kernel.ordinal()];
  }

  /**
   * @param kernel a kernel
   * @return calls since creation or the last {@link #reset()}
   */
  public long calls(Kernel kernel) {
    return calls[kernel.ordinal()];
  }

  /**
   * @return nanoseconds per kernel, for the kernels called at least once
   */
  public Map<Kernel, Long> snapshot() {
    Map<Kernel, Long> m = new EnumMap<>(Kernel.class);
    for (Kernel k : Kernel.values()) {
      if (calls[k.ordinal()] > 0) {
        m.put(k, nanos[k.ordinal()]);
      }
    }
    return m;
  }

  /** Sets every count to zero. */
  public void reset() {
    java.util.Arrays.fill(nanos, 0);
    java.util.Arrays.fill(calls, 0);
    bytesToBackend = 0;
    bytesToHeap = 0;
  }
}
