package org.efqat.core.config;

import org.efqat.api.spi.ConfigValueException;
import org.efqat.core.checkpoint.CheckpointKeyMap;

/**
 * {@code model:} the network to quantize.
 *
 * @param architecture required: the model component with its options, for example {@code resnet20}
 *     or {@code {type: cnn, width: 32}}; {@code efqat list-components} lists them
 * @param checkpoint a pre-trained FP checkpoint (safetensors) to start from; when absent the run
 *     pre-trains one
 * @param checkpointKeys how the checkpoint's tensor names map to the model's, for a checkpoint
 *     trained by another code base ({@code torchvision}, {@code shortcut-linear} or rename rules);
 *     only with {@code checkpoint}; default: the file has the model's own names
 */
public record ModelConfig(
    ComponentSpec architecture, String checkpoint, CheckpointKeys checkpointKeys) {
  /** Validates. */
  public ModelConfig {
    ConfigValueException.requirePresent("architecture", architecture);
    if (checkpointKeys != null && checkpoint == null) {
      throw new ConfigValueException(
          "checkpointKeys", "needs model.checkpoint: it renames that file's tensors");
    }
  }

  /**
   * @param architecture the architecture with its options spelled out
   * @return this section with that architecture
   */
  public ModelConfig withArchitecture(ComponentSpec architecture) {
    return new ModelConfig(architecture, checkpoint, checkpointKeys);
  }

  /**
   * @return how to rename the checkpoint's tensors: {@link CheckpointKeyMap#IDENTITY} when {@code
   *     checkpointKeys} is absent
   */
  public CheckpointKeyMap keyMap() {
    return checkpointKeys == null ? CheckpointKeyMap.IDENTITY : checkpointKeys.keyMap();
  }
}
