package org.efqat.core.config;

import java.util.regex.Pattern;
import org.efqat.api.spi.ConfigValueException;

/**
 * An experiment file, schema version {@value #SCHEMA_VERSION}. See README.md for an annotated
 * example. Every component (backend, model, dataset, quantizers, calibration method, importance
 * metric, freeze policy, optimizers and schedules) is a {@link ComponentSpec} resolved against the
 * registry by {@link ExperimentLoader}; {@link ComponentSites} lists where each one sits.
 *
 * @param version required: the schema version, {@value #SCHEMA_VERSION}
 * @param name required: the run's name, also its folder under {@code output}; letters, digits, '.',
 *     '_' and '-'
 * @param seed the run's seed, split per component; default 0
 * @param backend required: the compute backend, for example {@code nd4j} or {@code tf}; never
 *     guessed
 * @param model required: the network
 * @param data required: the dataset
 * @param quantization required: weight and activation quantizers and PTQ calibration
 * @param efqat required: importance, freeze policy, interval, epochs
 * @param optimizer required: the EfQAT stage's optimizer
 * @param pretrain FP pre-training when no checkpoint is given; optional
 * @param output the folder that receives {@code <name>/}; default {@value #DEFAULT_OUTPUT}
 * @param divergence when a training stage counts as diverged; default {@link
 *     DivergenceConfig#DEFAULT}
 * @param checkpointEvery how often a training stage writes a resume checkpoint, in steps or as a
 *     time such as {@code 5m}; default {@link CheckpointInterval#DEFAULT}
 */
public record ExperimentConfig(
    Integer version,
    String name,
    Long seed,
    ComponentSpec backend,
    ModelConfig model,
    DataConfig data,
    QuantizationConfig quantization,
    EfqatConfig efqat,
    OptimizerConfig optimizer,
    PretrainConfig pretrain,
    String output,
    DivergenceConfig divergence,
    CheckpointInterval checkpointEvery) {
  /** The schema version this build reads. */
  public static final int SCHEMA_VERSION = 1;

  /** The default output folder. */
  public static final String DEFAULT_OUTPUT = "runs";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  /** Validates and applies defaults. */
  public ExperimentConfig {
    ConfigValueException.requirePresent("version", version);
    if (version != SCHEMA_VERSION) {
      throw new ConfigValueException(
          "version",
          "must be " + SCHEMA_VERSION + ", the schema this build reads (was " + version + ")");
    }
    ConfigValueException.requirePresent("name", name);
    if (!NAME.matcher(name).matches()) {
      throw new ConfigValueException(
          "name", "must be 1-128 letters, digits, '.', '_' or '-' (was '" + name + "')");
    }
    seed = Choices.orDefault(seed, 0L);
    ConfigValueException.requirePresent("backend", backend);
    ConfigValueException.requirePresent("model", model);
    ConfigValueException.requirePresent("data", data);
    ConfigValueException.requirePresent("quantization", quantization);
    ConfigValueException.requirePresent("efqat", efqat);
    ConfigValueException.requirePresent("optimizer", optimizer);
    if (pretrain != null && model.checkpoint() != null) {
      throw new ConfigValueException(
          "pretrain",
          "must be left out when model.checkpoint is given"
              + " (the checkpoint is the FP model; pre-training would be skipped)");
    }
    output = Choices.orDefault(output, DEFAULT_OUTPUT);
    if (output.isBlank()) {
      throw new ConfigValueException("output", "must name a folder (was empty)");
    }
    divergence = Choices.orDefault(divergence, DivergenceConfig.DEFAULT);
    checkpointEvery = Choices.orDefault(checkpointEvery, CheckpointInterval.DEFAULT);
  }
}
