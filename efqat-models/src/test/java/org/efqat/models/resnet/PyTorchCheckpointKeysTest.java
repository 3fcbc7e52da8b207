package org.efqat.models.resnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.efqat.models.resnet.PyTorchResNet20Test.FIXTURE;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.efqat.api.backend.Backend;
import org.efqat.api.spi.ComponentContext;
import org.efqat.backend.nd4j.Nd4jBackendConfig;
import org.efqat.backend.nd4j.Nd4jBackendProvider;
import org.efqat.core.checkpoint.CheckpointException;
import org.efqat.core.checkpoint.CheckpointKeyMap;
import org.efqat.core.checkpoint.CheckpointKeyMap.Preset;
import org.efqat.core.checkpoint.CheckpointKeyMap.Rule;
import org.efqat.core.checkpoint.NamedTensor;
import org.efqat.core.checkpoint.NetworkCheckpoint;
import org.efqat.core.checkpoint.SafetensorsDtype;
import org.efqat.core.checkpoint.SafetensorsReader;
import org.efqat.core.checkpoint.SafetensorsWriter;
import org.efqat.core.nn.Network;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PyTorch-trained ResNet-20 fixture under other code bases' tensor names ({@code
 * model.checkpointKeys}) loads and reproduces PyTorch's logits; names that do not match give one
 * error with the closest names and a preset hint; a NaN or infinity is refused. The renamed files
 * are made at run time from {@code resnet20-fmnist.safetensors} and the hand-written name list
 * {@code torchvision-names.txt} (same order), so no second binary fixture is needed.
 */
class PyTorchCheckpointKeysTest {
  private static Backend backend;

  @BeforeAll
  static void open() {
    backend = new Nd4jBackendProvider().create(new Nd4jBackendConfig(), ComponentContext.ofSeed(0));
  }

  @AfterAll
  static void close() {
    backend.close();
  }

  /** The real torchvision-style names, in the fixture's (state_dict) order. */
  private static List<String> torchvisionNames() throws Exception {
    List<String> names = new ArrayList<>();
    for (String line : Files.readAllLines(FIXTURE.resolve("torchvision-names.txt"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        names.add(line.strip());
      }
    }
    return names;
  }

  /** The fixture's tensors under the given names (paired in order), written as F32. */
  private static Path renamedFixture(Path dir, List<String> names) {
    Map<String, NamedTensor> ours =
        SafetensorsReader.read(FIXTURE.resolve("resnet20-fmnist.safetensors")).tensors();
    assertThat(names).hasSameSizeAs(ours.keySet());
    Map<String, NamedTensor> out = new LinkedHashMap<>();
    int i = 0;
    for (NamedTensor t : ours.values()) {
      String name = names.get(i++);
      out.put(name, new NamedTensor(name, t.shape(), t.data()));
    }
    Path file = dir.resolve("renamed.safetensors");
    SafetensorsWriter.write(file, out, SafetensorsDtype.F32);
    return file;
  }

  private static List<String> map(List<String> names, UnaryOperator<String> f) {
    return names.stream().map(f).toList();
  }

  private static Network resnet() {
    return PyTorchResNet20Test.resnet(backend, new SplittableRandom(1));
  }

  private static void loadAndCompare(Path file, CheckpointKeyMap keys) throws Exception {
    Network net = resnet();
    try {
      NetworkCheckpoint.load(net, file, keys);
      PyTorchResNet20Test.assertReproducesPyTorchLogits(backend, net);
    } finally {
      net.release();
    }
  }

  @Test
  void aTorchvisionStyleCheckpointLoadsWithThePresetAndReproducesPyTorchsLogits(@TempDir Path dir)
      throws Exception {
    List<String> torchvision = torchvisionNames();
    assertThat(torchvision)
        .hasSize(107)
        .contains("conv1.weight", "layer2.0.downsample.0.weight", "layer3.2.bn2.running_var");
    List<String> ours =
        List.copyOf(
            SafetensorsReader.read(FIXTURE.resolve("resnet20-fmnist.safetensors"))
                .tensors()
                .keySet());
    CheckpointKeyMap keys = CheckpointKeyMap.of(Preset.TORCHVISION, List.of());
    assertThat(map(torchvision, keys::apply)).isEqualTo(ours);
    loadAndCompare(renamedFixture(dir, torchvision), keys);
  }

  @Test
  void aShortcutLinearCheckpointSavedFromDataParallelLoadsWithAPrefixRule(@TempDir Path dir)
      throws Exception {
    List<String> akamaster =
        map(
            torchvisionNames(),
            n ->
                "module."
                    + n.replace(".downsample.", ".shortcut.").replaceFirst("^fc\\.", "linear."));
    assertThat(akamaster).contains("module.layer3.0.shortcut.1.bias", "module.linear.weight");
    loadAndCompare(
        renamedFixture(dir, akamaster),
        CheckpointKeyMap.of(Preset.SHORTCUT_LINEAR, List.of(new Rule("^module\\.", ""))));
  }

  @Test
  void renameRulesAloneMapAnotherNaming(@TempDir Path dir) throws Exception {
    List<String> ours =
        List.copyOf(
            SafetensorsReader.read(FIXTURE.resolve("resnet20-fmnist.safetensors"))
                .tensors()
                .keySet());
    List<String> theirs =
        map(ours, n -> "net." + n.replaceFirst("^layers\\.(\\d)\\.", "blocks.$1."));
    loadAndCompare(
        renamedFixture(dir, theirs),
        CheckpointKeyMap.of(
            null, List.of(new Rule("^net\\.", ""), new Rule("^blocks\\.", "layers."))));
  }

  @Test
  void mismatchedNamesGiveOneErrorWithTheClosestNamesAndAPresetHint(@TempDir Path dir)
      throws Exception {
    Path file = renamedFixture(dir, torchvisionNames());
    assertThatThrownBy(() -> NetworkCheckpoint.load(resnet(), file))
        .isInstanceOf(CheckpointException.class)
        .hasMessage(
            file
                + """
                : checkpoint does not match the model (no checkpointKeys): 105 missing, \
                105 unexpected, 0 of the wrong shape
                  missing    conv.weight [16, 1, 3, 3], closest unexpected: conv1.weight
                  missing    bn.weight [16], closest unexpected: bn1.weight
                  missing    bn.bias [16], closest unexpected: bn1.bias
                  missing    bn.running_mean [16], closest unexpected: bn1.running_mean
                  missing    bn.running_var [16], closest unexpected: bn1.running_var
                  missing    layers.0.c1.weight [16, 16, 3, 3], closest unexpected: \
                layer1.0.conv1.weight
                  missing    layers.0.b1.weight [16], closest unexpected: layer1.0.bn1.weight
                  missing    layers.0.b1.bias [16], closest unexpected: layer1.0.bn1.bias
                  missing    layers.0.b1.running_mean [16], closest unexpected: \
                layer1.0.bn1.running_mean
                  missing    layers.0.b1.running_var [16], closest unexpected: \
                layer1.0.bn1.running_var
                  and 95 more missing
                  unexpected conv1.weight [16, 1, 3, 3]
                  unexpected bn1.weight [16]
                  unexpected bn1.bias [16]
                  unexpected bn1.running_mean [16]
                  unexpected bn1.running_var [16]
                  unexpected layer1.0.conv1.weight [16, 16, 3, 3]
                  unexpected layer1.0.bn1.weight [16]
                  unexpected layer1.0.bn1.bias [16]
                  unexpected layer1.0.bn1.running_mean [16]
                  unexpected layer1.0.bn1.running_var [16]
                  and 95 more unexpected
                  hint: checkpointKeys: torchvision may fit: 107 of 107 names match after \
                renaming""");
    // The wrong preset: renamed names show the file's name too; the hint names the right one.
    assertThatThrownBy(
            () ->
                NetworkCheckpoint.load(
                    resnet(), file, CheckpointKeyMap.of(Preset.SHORTCUT_LINEAR, List.of())))
        .isInstanceOf(CheckpointException.class)
        .hasMessage(
            file
                + """
                : checkpoint does not match the model (checkpointKeys: shortcut-linear): 10 missing, 10 unexpected, 0 of the wrong shape
                  missing    layers.3.short.0.weight [32, 16, 1, 1], closest unexpected: layers.3.downsample.0.weight
                  missing    layers.3.short.1.weight [32], closest unexpected: layers.3.downsample.1.weight
                  missing    layers.3.short.1.bias [32], closest unexpected: layers.3.downsample.1.bias
                  missing    layers.3.short.1.running_mean [32], closest unexpected: layers.3.downsample.1.running_mean
                  missing    layers.3.short.1.running_var [32], closest unexpected: layers.3.downsample.1.running_var
                  missing    layers.6.short.0.weight [64, 32, 1, 1], closest unexpected: layers.6.downsample.0.weight
                  missing    layers.6.short.1.weight [64], closest unexpected: layers.6.downsample.1.weight
                  missing    layers.6.short.1.bias [64], closest unexpected: layers.6.downsample.1.bias
                  missing    layers.6.short.1.running_mean [64], closest unexpected: layers.6.downsample.1.running_mean
                  missing    layers.6.short.1.running_var [64], closest unexpected: layers.6.downsample.1.running_var
                  unexpected layers.3.downsample.0.weight (in the file: layer2.0.downsample.0.weight) [32, 16, 1, 1]
                  unexpected layers.3.downsample.1.weight (in the file: layer2.0.downsample.1.weight) [32]
                  unexpected layers.3.downsample.1.bias (in the file: layer2.0.downsample.1.bias) [32]
                  unexpected layers.3.downsample.1.running_mean (in the file: layer2.0.downsample.1.running_mean) [32]
                  unexpected layers.3.downsample.1.running_var (in the file: layer2.0.downsample.1.running_var) [32]
                  unexpected layers.6.downsample.0.weight (in the file: layer3.0.downsample.0.weight) [64, 32, 1, 1]
                  unexpected layers.6.downsample.1.weight (in the file: layer3.0.downsample.1.weight) [64]
                  unexpected layers.6.downsample.1.bias (in the file: layer3.0.downsample.1.bias) [64]
                  unexpected layers.6.downsample.1.running_mean (in the file: layer3.0.downsample.1.running_mean) [64]
                  unexpected layers.6.downsample.1.running_var (in the file: layer3.0.downsample.1.running_var) [64]
                  hint: checkpointKeys: torchvision may fit: 107 of 107 names match after renaming""");
  }

  @Test
  void aMissingMisspeltOrMisshapenTensorIsListedWithoutAHint(@TempDir Path dir) {
    Map<String, NamedTensor> tensors =
        new LinkedHashMap<>(
            SafetensorsReader.read(FIXTURE.resolve("resnet20-fmnist.safetensors")).tensors());
    NamedTensor c2 = tensors.remove("layers.4.c2.weight");
    tensors.put(
        "layers.4.c2.weights", new NamedTensor("layers.4.c2.weights", c2.shape(), c2.data()));
    tensors.remove("layers.5.b1.bias");
    tensors.put("fc.weight", NamedTensor.of("fc.weight", new float[20], 2, 10));
    Path bad = dir.resolve("bad.safetensors");
    SafetensorsWriter.write(bad, tensors, SafetensorsDtype.F32);
    assertThatThrownBy(() -> NetworkCheckpoint.load(resnet(), bad))
        .isInstanceOf(CheckpointException.class)
        .hasMessage(
            bad
                + """
                : checkpoint does not match the model (no checkpointKeys): 2 missing, 1 unexpected, 1 of the wrong shape
                  missing    layers.4.c2.weight [32, 32, 3, 3], closest unexpected: layers.4.c2.weights
                  missing    layers.5.b1.bias [32]
                  unexpected layers.4.c2.weights [32, 32, 3, 3]
                  shape      fc.weight [2, 10], expected [10, 64]""");
  }

  @Test
  void aNonFiniteValueIsRefusedNamingTheFileAndTensor(@TempDir Path dir) {
    Map<String, NamedTensor> tensors =
        new LinkedHashMap<>(
            SafetensorsReader.read(FIXTURE.resolve("resnet20-fmnist.safetensors")).tensors());
    tensors.get("layers.4.c2.weight").data()[17] = Float.NaN;
    Path nan = dir.resolve("nan.safetensors");
    SafetensorsWriter.write(nan, tensors, SafetensorsDtype.F32);
    assertThatThrownBy(() -> NetworkCheckpoint.load(resnet(), nan))
        .isInstanceOf(CheckpointException.class)
        .hasMessage(
            nan
                + ": tensor layers.4.c2.weight has a non-finite value (NaN) at index 17;"
                + " refusing to load it");
    tensors.get("layers.4.c2.weight").data()[17] = 0f;
    tensors.get("fc.bias").data()[3] = Float.NEGATIVE_INFINITY;
    Path inf = dir.resolve("inf.safetensors");
    SafetensorsWriter.write(inf, tensors, SafetensorsDtype.F16);
    assertThatThrownBy(() -> NetworkCheckpoint.load(resnet(), inf))
        .isInstanceOf(CheckpointException.class)
        .hasMessage(
            inf
                + ": tensor fc.bias has a non-finite value (-Infinity) at index 3;"
                + " refusing to load it");
  }
}
