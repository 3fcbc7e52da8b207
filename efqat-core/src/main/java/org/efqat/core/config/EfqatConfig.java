package org.efqat.core.config;

import org.efqat.api.spi.ConfigValueException;

/**
 * {@code efqat:} the EfQAT stage (DESIGN.md 1.2).
 *
 * @param importance the importance metric; default {@code mean-abs}
 * @param freeze required: the freeze policy with its own keys, for example {@code {type: cwpn, p:
 *     0.1}}
 * @param interval re-select the unfrozen rows every this many training samples ({@code f}); a value
 *     larger than the run selects once; default {@value #DEFAULT_INTERVAL}
 * @param epochs training epochs, fractions allowed; default 1 (the paper's runs)
 * @param alwaysTrain the parameters that train for every row; default all
 */
public record EfqatConfig(
    ComponentSpec importance,
    ComponentSpec freeze,
    Long interval,
    Double epochs,
    AlwaysTrainConfig alwaysTrain) {
  /** The default re-selection interval in samples. */
  public static final long DEFAULT_INTERVAL = 4096;

  /** Validates and applies defaults. */
  public EfqatConfig {
    importance = Choices.orDefault(importance, ComponentSpec.of("mean-abs"));
    ConfigValueException.requirePresent("freeze", freeze);
    interval = Choices.orDefault(interval, DEFAULT_INTERVAL);
    ConfigValueException.requireInRange("interval", interval, 1, Long.MAX_VALUE);
    epochs = Choices.orDefault(epochs, 1.0);
    if (!(epochs > 0 && epochs <= 10_000)) {
      throw new ConfigValueException("epochs", "must be in (0, 10000] (was " + epochs + ")");
    }
    alwaysTrain = Choices.orDefault(alwaysTrain, AlwaysTrainConfig.DEFAULT);
  }
}
