package org.efqat.experiments.bench;

import java.util.List;

/**
 * What {@code efqat bench} measures.
 *
 * @param model the architecture ({@code resnet20}, {@code resnet50}, {@code cnn}, {@code mlp})
 * @param width first-stage channels
 * @param batch samples per step
 * @param side image height and width
 * @param channels image channels
 * @param classes classes
 * @param bits weight and activation bits (every layer)
 * @param fractions unfrozen fractions {@code p}; 1 (plain QAT) is the baseline of the speedups
 * @param policies freeze policies by registered name
 * @param backends backends by registered name
 * @param warmup steps discarded at the start of every measured block
 * @param steps measured steps per configuration and round
 * @param rounds rounds over all configurations, interleaved so drift spreads evenly
 * @param seed initial weights and images
 */
public record BenchSpec(String model, int width, int batch, int side, int channels, int classes,
    int bits, List<Double> fractions, List<String> policies, List<String> backends, int warmup,
    int steps, int rounds, long seed) {

  /** Copies the lists. */
  public BenchSpec {
    fractions = List.copyOf(fractions);
    policies = List.copyOf(policies);
    backends = List.copyOf(backends);
  }

  /** @return a short title, e.g. {@code resnet20, batch 128, 3x32x32, W8A8} */
  public String title() {
    return model + " (width " + width + "), batch " + batch + ", " + channels + "x" + side + "x"
        + side + ", W" + bits + "A" + bits;
  }

  /**
   * The experiment document one configuration runs as: every component comes from the registry
   * as in {@code efqat run}, with every layer at {@code bits}.
   *
   * @param backend a backend
   * @param policy a freeze policy
   * @param p its unfrozen fraction
   * @return the YAML
   */
  String experimentYaml(String backend, String policy, double p) {
    return """
        version: 1
        name: bench
        seed: %d
        backend: %s
        model: {architecture: %s, width: %d}
        data: {dataset: synthetic, batchSize: %d}
        quantization:
          weights: {type: lsq, bits: %d}
          activations: {type: lsq-plus, bits: %d}
          calibration: {method: minmax, batches: 1}
        efqat:
          freeze: {type: %s, p: %s}
          interval: 1000000000
        optimizer: {type: sgd, lr: 1.0e-4, momentum: 0.9}
        """.formatted(seed, backend, model, width, batch, bits, bits, policy,
        Double.toString(p));
  }
}
