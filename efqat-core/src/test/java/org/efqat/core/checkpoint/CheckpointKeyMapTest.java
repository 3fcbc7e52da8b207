package org.efqat.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.efqat.api.spi.ConfigValueException;
import org.efqat.core.checkpoint.CheckpointKeyMap.Preset;
import org.efqat.core.checkpoint.CheckpointKeyMap.Rule;
import org.junit.jupiter.api.Test;

class CheckpointKeyMapTest {
  @Test
  void thePresetsMapStageAndBlockToTheFlatIndex() {
    CheckpointKeyMap tv = CheckpointKeyMap.of(Preset.TORCHVISION, List.of());
    assertThat(tv.apply("conv1.weight")).isEqualTo("conv.weight");
    assertThat(tv.apply("bn1.running_mean")).isEqualTo("bn.running_mean");
    assertThat(tv.apply("layer1.0.conv1.weight")).isEqualTo("layers.0.c1.weight");
    assertThat(tv.apply("layer2.2.bn2.bias")).isEqualTo("layers.5.b2.bias");
    assertThat(tv.apply("layer3.1.conv2.weight")).isEqualTo("layers.7.c2.weight");
    assertThat(tv.apply("layer2.0.downsample.0.weight")).isEqualTo("layers.3.short.0.weight");
    assertThat(tv.apply("layer3.0.downsample.1.running_var"))
        .isEqualTo("layers.6.short.1.running_var");
    assertThat(tv.apply("fc.weight")).isEqualTo("fc.weight");
    CheckpointKeyMap sl = CheckpointKeyMap.of(Preset.SHORTCUT_LINEAR, List.of());
    assertThat(sl.apply("layer3.0.shortcut.0.weight")).isEqualTo("layers.6.short.0.weight");
    assertThat(sl.apply("linear.bias")).isEqualTo("fc.bias");
    assertThat(sl.apply("layer1.2.bn1.weight")).isEqualTo("layers.2.b1.weight");
  }

  @Test
  void renameRulesRunFirstInOrder() {
    CheckpointKeyMap m =
        CheckpointKeyMap.of(
            Preset.TORCHVISION,
            List.of(new Rule("^module\\.", ""), new Rule("^backbone\\.(.*)$", "$1")));
    assertThat(m.apply("module.backbone.layer1.1.conv1.weight")).isEqualTo("layers.1.c1.weight");
    assertThat(m.describe()).isEqualTo("checkpointKeys: {preset: torchvision, rename: 2 rules}");
    assertThat(CheckpointKeyMap.of(null, List.of())).isSameAs(CheckpointKeyMap.IDENTITY);
    assertThat(CheckpointKeyMap.IDENTITY.apply("anything")).isEqualTo("anything");
  }

  @Test
  void aBadRuleNamesTheKeyAndTheProblem() {
    assertThatThrownBy(() -> new Rule("layer[", "x"))
        .isInstanceOf(ConfigValueException.class)
        .hasMessage(
            "from is not a valid regular expression: Unclosed character class near index 5"
                + " (was 'layer[')");
    assertThatThrownBy(() -> new Rule("(a)", "$2"))
        .isInstanceOf(ConfigValueException.class)
        .hasMessage(
            "to is not a valid replacement for '(a)': No group 2 (was '$2'; write \\$ for a"
                + " literal $)");
    assertThatThrownBy(() -> new Rule("a", "tail\\"))
        .isInstanceOf(ConfigValueException.class)
        .hasMessageStartingWith("to is not a valid replacement for 'a': ");
    assertThat(new Rule("(?<s>\\d)", "${s}").to()).isEqualTo("${s}");
    assertThatThrownBy(() -> Preset.of("resnet"))
        .hasMessage(
            "preset 'resnet' is not a checkpoint key preset; available: torchvision,"
                + " shortcut-linear");
  }

  @Test
  void twoTensorsRenamedToOneNameAreAnError() {
    Map<String, NamedTensor> tensors = new LinkedHashMap<>();
    tensors.put("a.weight", NamedTensor.of("a.weight", new float[1], 1));
    tensors.put("b.weight", NamedTensor.of("b.weight", new float[1], 1));
    CheckpointKeyMap m = CheckpointKeyMap.of(null, List.of(new Rule("^[ab]\\.", "c.")));
    assertThatThrownBy(() -> KeyMatch.rename(Path.of("x.safetensors"), tensors, m))
        .isInstanceOf(CheckpointException.class)
        .hasMessage(
            "x.safetensors: tensors a.weight and b.weight both become c.weight after renaming by"
                + " checkpointKeys: {rename: 1 rule}");
  }

  @Test
  void closestIsTheSmallestEditDistanceWithinALimit() {
    assertThat(KeyMatch.levenshtein("kitten", "sitting")).isEqualTo(3);
    assertThat(KeyMatch.levenshtein("", "abc")).isEqualTo(3);
    assertThat(KeyMatch.closest("fc.weight", List.of("fc.bias", "fc.weights", "fc.weighs"), 2))
        .isEqualTo("fc.weights");
    assertThat(KeyMatch.closest("fc.weight", List.of("layers.0.c1.bias"), 3)).isNull();
  }
}
