package org.efqat.core.config;

import org.efqat.api.quant.QuantGrid;
import org.efqat.api.spi.ConfigValueException;

/**
 * {@code quantization:} how weights and activations are quantized (DESIGN.md 1.1).
 *
 * @param weights required: the weight quantizer, for example {@code {type: lsq, bits: 4}}
 * @param activations required: the activation quantizer, for example {@code {type: lsq-plus, bits:
 *     4}}
 * @param firstLayerBits bit width of the first quantized layer's weights and input, overriding the
 *     quantizers' {@code bits}; default: same as the others
 * @param lastLayerBits the same for the last quantized layer
 * @param calibration PTQ range calibration; default {@link CalibrationConfig#DEFAULT}
 */
public record QuantizationConfig(
    ComponentSpec weights,
    ComponentSpec activations,
    Integer firstLayerBits,
    Integer lastLayerBits,
    CalibrationConfig calibration) {
  /** Validates and applies defaults. */
  public QuantizationConfig {
    ConfigValueException.requirePresent("weights", weights);
    ConfigValueException.requirePresent("activations", activations);
    if (firstLayerBits != null) {
      ConfigValueException.requireInRange(
          "firstLayerBits", firstLayerBits, QuantGrid.MIN_BITS, QuantGrid.MAX_BITS);
    }
    if (lastLayerBits != null) {
      ConfigValueException.requireInRange(
          "lastLayerBits", lastLayerBits, QuantGrid.MIN_BITS, QuantGrid.MAX_BITS);
    }
    calibration = Choices.orDefault(calibration, CalibrationConfig.DEFAULT);
  }
}
