package org.efqat.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.efqat.api.spi.ConfigValueException;
import org.efqat.core.checkpoint.CheckpointKeyMap;

/**
 * {@code model.checkpointKeys:} how the tensor names of {@code model.checkpoint} map to the model's
 * names, for a checkpoint trained by another code base. Written as a preset name ({@code
 * checkpointKeys: torchvision}) or a mapping ({@code {preset: shortcut-linear, rename: [{from:
 * '^module\.', to: ''}]}}). The rename rules run first, in order, then the preset's rules.
 *
 * @param preset a built-in key map, {@link CheckpointKeyMap.Preset}: {@code torchvision} or {@code
 *     shortcut-linear}, both for {@code resnet20}; optional
 * @param rename rename rules ({@code from}: a Java regular expression, {@code to}: its replacement,
 *     {@code $1} for a group), applied to every name in order; default none
 */
public record CheckpointKeys(
    String preset, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<CheckpointKeyMap.Rule> rename) {
  /** Validates: a known preset, valid rules (checked by the rule), at least one of the two. */
  @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
  public CheckpointKeys {
    rename = rename == null ? List.of() : List.copyOf(rename);
    if (preset != null) {
      CheckpointKeyMap.Preset.of(preset);
    } else if (rename.isEmpty()) {
      throw new ConfigValueException(
          "preset",
          "or rename is required: name a preset ("
              + String.join(", ", CheckpointKeyMap.Preset.yamlNames())
              + ") or give rename rules");
    }
  }

  /**
   * Jackson entry point for the shorthand {@code checkpointKeys: torchvision}.
   *
   * @param preset a preset's name
   * @return the keys with that preset and no rename rules
   */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static CheckpointKeys ofPreset(String preset) {
    return new CheckpointKeys(preset, List.of());
  }

  /**
   * @return the key map the checkpoint is loaded with
   */
  public CheckpointKeyMap keyMap() {
    return CheckpointKeyMap.of(preset == null ? null : CheckpointKeyMap.Preset.of(preset), rename);
  }
}
