package org.efqat.core.config;

import org.efqat.api.spi.ConfigValueException;

/**
 * {@code model:} the network to quantize.
 *
 * @param architecture required: the model component with its options, for example {@code resnet20}
 *     or {@code {type: cnn, width: 32}}; {@code efqat list-components} lists them
 * @param checkpoint a pre-trained FP checkpoint (safetensors) to start from; when absent the run
 *     pre-trains one
 */
public record ModelConfig(ComponentSpec architecture, String checkpoint) {
  /** Validates. */
  public ModelConfig {
    ConfigValueException.requirePresent("architecture", architecture);
  }

  /**
   * @param architecture the architecture with its options spelled out
   * @return this section with that architecture
   */
  public ModelConfig withArchitecture(ComponentSpec architecture) {
    return new ModelConfig(architecture, checkpoint);
  }
}
