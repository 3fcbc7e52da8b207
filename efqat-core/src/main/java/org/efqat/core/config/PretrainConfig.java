package org.efqat.core.config;

import org.efqat.api.spi.ConfigValueException;

/**
 * {@code pretrain:} full-precision training when {@code model.checkpoint} is absent.
 *
 * @param epochs required: FP training epochs, {@code > 0}
 * @param optimizer required: its optimizer
 */
public record PretrainConfig(Double epochs, OptimizerConfig optimizer) {
  /** Validates. */
  public PretrainConfig {
    ConfigValueException.requirePresent("epochs", epochs);
    if (!(epochs > 0 && epochs <= 10_000)) {
      throw new ConfigValueException("epochs", "must be in (0, 10000] (was " + epochs + ")");
    }
    ConfigValueException.requirePresent("optimizer", optimizer);
  }
}
