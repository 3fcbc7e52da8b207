package org.efqat.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.efqat.core.checkpoint.CheckpointKeyMap;
import org.efqat.core.registry.ComponentRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code model.checkpointKeys}: the YAML forms, their validation and the resolved round trip. */
class CheckpointKeysConfigTest {
  private final ExperimentLoader loader = new ExperimentLoader(ComponentRegistry.loadDefault());

  /** {@link ExperimentLoaderTest#VALID} with a model section that has these extra lines. */
  private static String withModel(String lines) {
    return ExperimentLoaderTest.VALID.replace(
        "  architecture: test-cnn\n", "  architecture: test-cnn\n" + lines);
  }

  private String errorOf(String yaml) {
    try {
      loader.parse(yaml, "x.yaml");
    } catch (ExperimentValidationException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected a validation error for:\n" + yaml);
  }

  @Test
  void aPresetNameIsTheShortForm() throws Exception {
    ModelConfig m =
        loader
            .parse(
                withModel("  checkpoint: fp.safetensors\n  checkpointKeys: torchvision\n"),
                "x.yaml")
            .config()
            .model();
    assertThat(m.checkpointKeys()).isEqualTo(new CheckpointKeys("torchvision", List.of()));
    assertThat(m.keyMap())
        .isEqualTo(CheckpointKeyMap.of(CheckpointKeyMap.Preset.TORCHVISION, List.of()));
    assertThat(m.keyMap().apply("layer3.0.downsample.1.running_var"))
        .isEqualTo("layers.6.short.1.running_var");
  }

  @Test
  void theMappingFormTakesAPresetAndRenameRules() throws Exception {
    ModelConfig m =
        loader
            .parse(
                withModel(
                    """
                      checkpoint: fp.safetensors
                      checkpointKeys:
                        preset: shortcut-linear
                        rename:
                          - {from: '^module\\.', to: ''}
                          - {from: 'weights$', to: weight}
                    """),
                "x.yaml")
            .config()
            .model();
    assertThat(m.checkpointKeys().rename())
        .containsExactly(
            new CheckpointKeyMap.Rule("^module\\.", ""),
            new CheckpointKeyMap.Rule("weights$", "weight"));
    assertThat(m.keyMap().apply("module.linear.weights")).isEqualTo("fc.weight");
    assertThat(m.keyMap().apply("module.layer2.0.shortcut.0.weight"))
        .isEqualTo("layers.3.short.0.weight");
    assertThat(m.keyMap()).isNotEqualTo(CheckpointKeyMap.IDENTITY);
    assertThat(
            loader
                .parse(withModel("  checkpoint: fp.safetensors\n"), "x.yaml")
                .config()
                .model()
                .keyMap())
        .isSameAs(CheckpointKeyMap.IDENTITY);
  }

  @Test
  void theResolvedConfigReadsBackEqual(@TempDir Path dir) throws Exception {
    for (String keys :
        List.of(
            "  checkpointKeys: torchvision\n",
            "  checkpointKeys: {rename: [{from: '^model\\.(.*)$', to: '$1'}]}\n",
            "  checkpointKeys: {preset: shortcut-linear, rename: [{from: '^module\\.', to: ''}]}\n")) {
      ResolvedExperiment e =
          loader.parse(withModel("  checkpoint: fp.safetensors\n" + keys), "x.yaml");
      String yaml = e.toYaml();
      assertThat(yaml).contains("checkpointKeys:");
      Path file = dir.resolve("resolved-config.yaml");
      Files.writeString(file, yaml);
      ResolvedExperiment again = loader.load(file);
      assertThat(again.config()).as(yaml).isEqualTo(e.resolvedConfig());
      assertThat(again.resolvedConfig()).as(yaml).isEqualTo(e.resolvedConfig());
      assertThat(again.config().model().keyMap()).isEqualTo(e.config().model().keyMap());
    }
  }

  @Test
  void anInvalidRegexNamesTheKeyAndTheRegexError() {
    assertThat(
            errorOf(
                withModel(
                    """
                      checkpoint: fp.safetensors
                      checkpointKeys: {rename: [{from: '^(module\\.', to: ''}]}
                    """)))
        .isEqualTo(
            "x.yaml:8: model.checkpointKeys.rename[0].from is not a valid regular expression:"
                + " Unclosed group near index 10 (was '^(module\\.')");
    assertThat(
            errorOf(
                withModel(
                    """
                      checkpoint: fp.safetensors
                      checkpointKeys: {rename: [{from: '^module\\.', to: '$1'}]}
                    """)))
        .isEqualTo(
            "x.yaml:8: model.checkpointKeys.rename[0].to is not a valid replacement for"
                + " '^module\\.': No group 1 (was '$1'; write \\$ for a literal $)");
  }

  @Test
  void otherMistakesAreNamed() {
    assertThat(errorOf(withModel("  checkpointKeys: torchvision\n")))
        .isEqualTo(
            "x.yaml:7: model.checkpointKeys needs model.checkpoint: it renames that file's"
                + " tensors");
    assertThat(errorOf(withModel("  checkpoint: fp.safetensors\n  checkpointKeys: torchvison\n")))
        .isEqualTo(
            "x.yaml:8: model.checkpointKeys.preset 'torchvison' is not a checkpoint key preset;"
                + " available: torchvision, shortcut-linear");
    assertThat(errorOf(withModel("  checkpoint: fp.safetensors\n  checkpointKeys: {}\n")))
        .isEqualTo(
            "x.yaml:8: model.checkpointKeys.preset or rename is required: name a preset"
                + " (torchvision, shortcut-linear) or give rename rules");
    assertThat(
            errorOf(
                withModel(
                    """
                      checkpoint: fp.safetensors
                      checkpointKeys: {preset: torchvision, renames: []}
                    """)))
        .startsWith("x.yaml:8: model.checkpointKeys.renames is not a known key;")
        .endsWith("known keys here: preset, rename");
    assertThat(
            errorOf(
                withModel(
                    """
                      checkpoint: fp.safetensors
                      checkpointKeys: {rename: [{from: x}]}
                    """)))
        .isEqualTo("x.yaml:8: model.checkpointKeys.rename[0].to is required");
  }
}
