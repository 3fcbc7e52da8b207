package org.efqat.core.ptq;

import org.efqat.api.spi.ConfigValueException;

/**
 * Options of {@code adaround} ({@link AdaRoundRefinement}); every key may be left out.
 *
 * @param iterations optimization steps per layer; default {@value #DEFAULT_ITERATIONS}
 * @param samples calibration samples captured per layer (at most what {@code
 *     quantization.calibration.batches} hold); default {@value #DEFAULT_SAMPLES}
 * @param batchSize samples per optimization step, drawn with replacement (seeded); default {@value
 *     #DEFAULT_BATCH_SIZE}
 * @param lr Adam's learning rate on the rounding variables {@code V}; default {@value #DEFAULT_LR}
 * @param regularization {@code λ}, the weight of the rounding regularizer {@code Σ(1 − |2h(V) −
 *     1|^β)}; default {@value #DEFAULT_REGULARIZATION}
 * @param betaStart {@code β} when the regularizer starts; default {@value #DEFAULT_BETA_START}
 * @param betaEnd {@code β} at the last step (annealed linearly); default {@value #DEFAULT_BETA_END}
 * @param warmup the fraction of the steps, at the start, without the regularizer, in {@code [0,
 *     1)}; default {@value #DEFAULT_WARMUP}
 */
public record AdaRoundConfig(
    Integer iterations,
    Integer samples,
    Integer batchSize,
    Double lr,
    Double regularization,
    Double betaStart,
    Double betaEnd,
    Double warmup) {
  /** Default optimization steps per layer. */
  public static final int DEFAULT_ITERATIONS = 2000;

  /** Default samples captured per layer. */
  public static final int DEFAULT_SAMPLES = 1024;

  /** Default samples per step. */
  public static final int DEFAULT_BATCH_SIZE = 32;

  /** Default learning rate. */
  public static final double DEFAULT_LR = 1e-3;

  /** Default {@code λ}. */
  public static final double DEFAULT_REGULARIZATION = 0.01;

  /** Default initial {@code β}. */
  public static final double DEFAULT_BETA_START = 20;

  /** Default final {@code β}. */
  public static final double DEFAULT_BETA_END = 2;

  /** Default warm-up fraction. */
  public static final double DEFAULT_WARMUP = 0.2;

  /** The defaults. */
  public static final AdaRoundConfig DEFAULT =
      new AdaRoundConfig(null, null, null, null, null, null, null, null);

  /** Validates and applies defaults. */
  public AdaRoundConfig {
    iterations = iterations == null ? DEFAULT_ITERATIONS : iterations;
    ConfigValueException.requireInRange("iterations", iterations, 1, 10_000_000);
    samples = samples == null ? DEFAULT_SAMPLES : samples;
    ConfigValueException.requireInRange("samples", samples, 1, 10_000_000);
    batchSize = batchSize == null ? DEFAULT_BATCH_SIZE : batchSize;
    ConfigValueException.requireInRange("batchSize", batchSize, 1, 1 << 16);
    lr = lr == null ? DEFAULT_LR : lr;
    requirePositive("lr", lr);
    regularization = regularization == null ? DEFAULT_REGULARIZATION : regularization;
    if (!(regularization >= 0 && Double.isFinite(regularization))) {
      throw new ConfigValueException(
          "regularization", "must be a finite number >= 0 (was " + regularization + ")");
    }
    betaStart = betaStart == null ? DEFAULT_BETA_START : betaStart;
    requirePositive("betaStart", betaStart);
    betaEnd = betaEnd == null ? DEFAULT_BETA_END : betaEnd;
    requirePositive("betaEnd", betaEnd);
    if (betaEnd > betaStart) {
      throw new ConfigValueException(
          "betaEnd",
          "must be <= betaStart (was " + betaEnd + " > " + betaStart + "); β anneals downwards");
    }
    warmup = warmup == null ? DEFAULT_WARMUP : warmup;
    if (!(warmup >= 0 && warmup < 1)) {
      throw new ConfigValueException("warmup", "must be in [0, 1) (was " + warmup + ")");
    }
  }

  private static void requirePositive(String key, double v) {
    if (!(v > 0 && Double.isFinite(v))) {
      throw new ConfigValueException(key, "must be a finite number > 0 (was " + v + ")");
    }
  }
}
