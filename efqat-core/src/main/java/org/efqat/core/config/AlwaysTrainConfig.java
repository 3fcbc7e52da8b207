package org.efqat.core.config;

/**
 * {@code efqat.alwaysTrain:} the cheap O(C) parameters that train for every row, frozen or not
 * (DESIGN.md 1.1). All default to {@code true}: they do much of the recovery from PTQ.
 *
 * @param biases layer biases
 * @param norm BatchNorm scale and shift
 * @param activationQuantizers activation quantizers' step and zero point
 */
public record AlwaysTrainConfig(Boolean biases, Boolean norm, Boolean activationQuantizers) {
  /** Everything trains. */
  public static final AlwaysTrainConfig DEFAULT = new AlwaysTrainConfig(null, null, null);

  /** Applies defaults. */
  public AlwaysTrainConfig {
    biases = Choices.orDefault(biases, true);
    norm = Choices.orDefault(norm, true);
    activationQuantizers = Choices.orDefault(activationQuantizers, true);
  }
}
