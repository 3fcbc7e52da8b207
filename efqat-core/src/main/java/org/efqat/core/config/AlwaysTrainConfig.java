package org.efqat.core.config;

/**
 * {@code efqat.alwaysTrain:} the cheap O(C) parameters that train for every row, frozen or not
 * (DESIGN.md 1.1). The O(C) ones default to {@code true}: they do much of the recovery from PTQ.
 *
 * @param biases layer biases
 * @param norm BatchNorm scale and shift
 * @param activationQuantizers activation quantizers' step and zero point
 * @param embeddings embedding tables of a Transformer (not quantized, and not cheap: {@code V·D}
 *     values); default {@code false}, so EfQAT trains only what it quantizes
 */
public record AlwaysTrainConfig(
    Boolean biases, Boolean norm, Boolean activationQuantizers, Boolean embeddings) {
  /** The defaults: biases, norms and activation quantizers train; embeddings do not. */
  public static final AlwaysTrainConfig DEFAULT = new AlwaysTrainConfig(null, null, null, null);

  /** Applies defaults. */
  public AlwaysTrainConfig {
    biases = Choices.orDefault(biases, true);
    norm = Choices.orDefault(norm, true);
    activationQuantizers = Choices.orDefault(activationQuantizers, true);
    embeddings = Choices.orDefault(embeddings, false);
  }
}
