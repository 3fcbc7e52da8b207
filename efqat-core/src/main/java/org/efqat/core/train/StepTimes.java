package org.efqat.core.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects {@link StepTimings} during a stage: forward (incl. loss) and backward milliseconds per
 * step, the whole step, and, when the backend is a {@link org.efqat.core.profile.ProfilingBackend},
 * the part of the backward pass spent in the sparse-row weight-gradient kernels; and how much CPU
 * time other processes took meanwhile ({@link CpuCounters}, read when this starts and at each
 * snapshot, so not on a step's path).
 */
final class StepTimes {
  private final List<Double> forward = new ArrayList<>();
  private final List<Double> backward = new ArrayList<>();
  private final List<Double> weightGradient = new ArrayList<>();
  private final List<Double> step = new ArrayList<>();
  private long cpuOthers;
  private long cpuTotal;
  private CpuCounters lastCounters = CpuCounters.read();

  StepTimes() {}

  /**
   * @param earlier the timings of the steps before a resume
   */
  StepTimes(StepTimings earlier) {
    forward.addAll(earlier.forwardMs());
    backward.addAll(earlier.backwardMs());
    weightGradient.addAll(earlier.weightGradientMs());
    step.addAll(earlier.stepMs());
    cpuOthers = earlier.cpuOthers();
    cpuTotal = earlier.cpuTotal();
  }

  /**
   * @param forwardMs forward pass and loss
   * @param backwardMs backward pass
   * @param weightGradientMs time in the sparse-row weight-gradient kernels, or NaN when the backend
   *     is not profiled
   * @param stepMs the whole step, optimizer update included
   */
  void add(double forwardMs, double backwardMs, double weightGradientMs, double stepMs) {
    forward.add(forwardMs);
    backward.add(backwardMs);
    if (!Double.isNaN(weightGradientMs)) {
      weightGradient.add(weightGradientMs);
    }
    step.add(stepMs);
  }

  /**
   * @return the timings so far, with the CPU counters brought up to now
   */
  StepTimings snapshot() {
    CpuCounters now = CpuCounters.read();
    if (now != null && lastCounters != null) {
      long[] d = now.since(lastCounters);
      cpuOthers += d[0];
      cpuTotal += d[1];
    }
    lastCounters = now;
    return new StepTimings(forward, backward, weightGradient, step, cpuOthers, cpuTotal);
  }
}
