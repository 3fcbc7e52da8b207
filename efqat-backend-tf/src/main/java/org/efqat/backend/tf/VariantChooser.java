package org.efqat.backend.tf;

import java.util.HashMap;
import java.util.Map;

/**
 * Picks the faster of two equivalent ways to compute a kernel, per signature, by timing them on the
 * first calls (as cuDNN and oneDNN choose algorithms): calls 1-2 run variant A, calls 3-4 variant
 * B, and the second call of each (the first builds the graph) decides for every later call. Both
 * variants must give the same result, so the choice changes speed only.
 */
final class VariantChooser {
  private static final int TRIALS = 2;

  /** The running state of one signature. */
  private static final class Trial {
    private int calls;
    private long nanosA = Long.MAX_VALUE;
    private long nanosB = Long.MAX_VALUE;
    private Boolean useA;
  }

  private final Map<Object, Trial> trials = new HashMap<>();

  /**
   * Runs variant A or B.
   *
   * @param key identifies the shapes the choice is for
   * @param a the first variant
   * @param b the second variant
   */
  void run(Object key, Runnable a, Runnable b) {
    Trial t = trials.computeIfAbsent(key, k -> new Trial());
    if (t.useA != null) {
      (t.useA ? a : b).run();
      return;
    }
    boolean runA = t.calls < TRIALS;
    long t0 = System.nanoTime();
    (runA ? a : b).run();
    long elapsed = System.nanoTime() - t0;
    t.calls++;
    if (t.calls == TRIALS) {
      t.nanosA = elapsed;
    } else if (t.calls == 2 * TRIALS) {
      t.nanosB = elapsed;
      t.useA = t.nanosA <= t.nanosB;
    }
  }
}
