package org.efqat.core.config;

import java.util.List;
import org.efqat.api.spi.ConfigValueException;

/**
 * {@code model:} the network to quantize.
 *
 * @param architecture required: one of {@link #ARCHITECTURES}
 * @param width channels of the first stage (CNN, ResNet) or hidden units (MLP); default {@value
 *     #DEFAULT_WIDTH}
 * @param checkpoint a pre-trained FP checkpoint (safetensors) to start from; when absent the run
 *     pre-trains one
 */
public record ModelConfig(String architecture, Integer width, String checkpoint) {
  /** The architectures efqat-models builds. */
  public static final List<String> ARCHITECTURES = List.of("mlp", "cnn", "resnet20", "resnet50");

  /** The default width. */
  public static final int DEFAULT_WIDTH = 16;

  /** Validates and applies defaults. */
  public ModelConfig {
    architecture = Choices.oneOf("architecture", architecture, null, ARCHITECTURES);
    width = Choices.orDefault(width, DEFAULT_WIDTH);
    ConfigValueException.requireInRange("width", width, 1, 4096);
  }
}
