package org.efqat.experiments.bench;

import java.util.List;
import java.util.Map;
import org.efqat.core.config.ExperimentConfig;

/**
 * What {@code efqat bench} measured: its {@code bench.json}, read back into this type with the run
 * folders' JSON mapper ({@code RunFolder.json()}).
 *
 * @param spec what was measured
 * @param environment the JVM, the machine and the thread settings
 * @param results one row per (backend, policy, p), backends outermost
 */
public record BenchResults(Spec spec, Environment environment, List<Row> results) {
  /**
   * @param experiment the base experiment, every default spelled out
   * @param fractions unfrozen fractions of the policies that have a {@code p}
   * @param policies freeze policies
   * @param backends backends
   * @param warmup discarded steps per block
   * @param steps measured steps per block
   * @param rounds interleaved rounds
   */
  public record Spec(
      ExperimentConfig experiment,
      List<Double> fractions,
      List<String> policies,
      List<String> backends,
      int warmup,
      int steps,
      int rounds) {}

  /**
   * @param java the JVM
   * @param cores available processors
   * @param os the operating system and architecture
   * @param ompWaitPolicy {@code OMP_WAIT_POLICY}, or {@code null} when unset
   */
  public record Environment(String java, int cores, String os, String ompWaitPolicy) {}

  /**
   * One configuration.
   *
   * @param backend the backend
   * @param policy the freeze policy
   * @param p the unfrozen fraction asked for, or {@code null} for a policy without {@code p}
   * @param unfrozenFraction the fraction of weight rows actually trained
   * @param forwardMs forward pass and loss per step
   * @param backwardMs backward pass per step
   * @param inputGradientMs the weight layers' input gradients per step
   * @param weightGradientMs the weight layers' weight gradients per step
   * @param backwardRestMs the backward pass outside the weight layers' dX and dW per step
   * @param stepMs the whole step per step
   * @param backwardSpeedup backward time of plain QAT over this one's (NaN without a baseline)
   * @param idealBackwardSpeedup {@code 2 / (1 + p)}
   * @param stepRelativeToQat this step's time over plain QAT's
   * @param kernelMsPerStep backend kernel milliseconds per step, by kernel
   * @param bytesToBackendPerStep bytes per step copied from the Java heap to the backend: the
   *     batch, the logits' gradient, per-channel vectors and row indices (weights and their
   *     gradients stay resident on the backend during a stage)
   * @param bytesToHeapPerStep bytes per step copied from the backend to the Java heap: the logits,
   *     per-channel sums and vectors
   * @param otherCpuShare the share of the machine's CPU time other processes used while this
   *     configuration ran (NaN when unknown); above about 0.2 its times are not those of a machine
   *     to itself
   * @param layers per leaf layer, median milliseconds per phase ({@code forward}, {@code backward},
   *     {@code input_gradient}, {@code weight_gradient})
   */
  public record Row(
      String backend,
      String policy,
      Double p,
      double unfrozenFraction,
      Spread forwardMs,
      Spread backwardMs,
      Spread inputGradientMs,
      Spread weightGradientMs,
      Spread backwardRestMs,
      Spread stepMs,
      double backwardSpeedup,
      double idealBackwardSpeedup,
      double stepRelativeToQat,
      Map<String, Double> kernelMsPerStep,
      double bytesToBackendPerStep,
      double bytesToHeapPerStep,
      double otherCpuShare,
      Map<String, Map<String, Double>> layers) {}
}
