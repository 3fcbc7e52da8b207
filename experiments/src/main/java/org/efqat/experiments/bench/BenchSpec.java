package org.efqat.experiments.bench;

import java.util.List;
import org.efqat.core.config.ResolvedExperiment;

/**
 * What {@code efqat bench} measures: an experiment (its model, data, quantizers and optimizer), and
 * the backends, freeze policies and unfrozen fractions to time it with.
 *
 * @param base the experiment every configuration derives from
 * @param fractions unfrozen fractions {@code p} for policies that have a {@code p}; 1 (plain QAT)
 *     is the baseline of the speedups
 * @param policies freeze policies by registered name; one without {@code p} runs once
 * @param backends backends by registered name
 * @param warmup steps discarded at the start of every measured block
 * @param steps measured steps per configuration and round
 * @param rounds rounds over all configurations, interleaved so drift spreads evenly
 */
public record BenchSpec(
    ResolvedExperiment base,
    List<Double> fractions,
    List<String> policies,
    List<String> backends,
    int warmup,
    int steps,
    int rounds) {

  /** Copies the lists. */
  public BenchSpec {
    fractions = List.copyOf(fractions);
    policies = List.copyOf(policies);
    backends = List.copyOf(backends);
  }

  /**
   * @return the model's name, for the output folder
   */
  public String model() {
    return base.model().provider().name();
  }

  /**
   * @return the output folder's name: {@code bench-<model>}, and {@code -<preset>} when the model
   *     has a {@code preset} option (the encoder: {@code bench-bert-all-minilm-l6-v2}, {@code
   *     bench-bert-bert-base})
   */
  public String folder() {
    Object preset = base.model().toSpec().options().get("preset");
    return "bench-" + model() + (preset instanceof String s ? "-" + s : "");
  }

  /**
   * @return a short title, e.g. {@code resnet20 {width=16}, batch 128, [1, 32, 32, 3], lsq}
   */
  public String title() {
    return model()
        + " "
        + base.model().toSpec().options()
        + ", batch "
        + base.config().data().batchSize()
        + ", "
        + base.dataset().toSpec().type()
        + " "
        + base.dataset().toSpec().options()
        + ", weights "
        + base.weightQuantizer().toSpec().options()
        + ", activations "
        + base.activationQuantizer().toSpec().options();
  }
}
