package org.efqat.core.profile;

import java.util.EnumMap;
import java.util.Map;

/**
 * Wall-clock nanoseconds and call counts per {@link Kernel}, accumulated by a {@link
 * ProfilingBackend}. Times are host-side around each call; they equal kernel times on synchronous
 * (CPU) backends. Not thread-safe, like the backend it belongs to.
 */
@SuppressWarnings("EnumOrdinal") // the ordinal indexes the per-kernel arrays: no boxing per call
public final class KernelProfile {
  private final long[] nanos = new long[Kernel.values().length];
  private final long[] calls = new long[Kernel.values().length];

  void record(Kernel kernel, long elapsedNanos) {
    nanos[kernel.ordinal()] += elapsedNanos;
    calls[kernel.ordinal()]++;
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
  }
}
