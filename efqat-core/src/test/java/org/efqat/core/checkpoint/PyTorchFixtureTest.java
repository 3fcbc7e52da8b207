package org.efqat.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Loads the ResNet-20 / Fashion-MNIST model that PyTorch trained and wrote as F16 safetensors
 * (efqat-models/src/test/resources/org/efqat/models/resnet20-fmnist, made by make_fixture.py next
 * to it) and checks every PyTorch state_dict name and shape. This proves that files written the
 * PyTorch way load here; the forward-pass comparison with golden.json lives with the model code.
 */
class PyTorchFixtureTest {
  /** Relative to efqat-core, the working directory of its tests. */
  static final Path FIXTURE =
      Path.of(
          "..",
          "efqat-models",
          "src",
          "test",
          "resources",
          "org",
          "efqat",
          "models",
          "resnet20-fmnist");

  /**
   * The state_dict of ResNet-20 for {@code cin} input channels and {@code classes} outputs, as
   * PyTorch names it (conv weight [C_out, C_in, kh, kw], linear weight [out, in]), without the
   * BatchNorm {@code num_batches_tracked} counters.
   */
  static Map<String, long[]> resnet20(int cin, int classes) {
    Map<String, long[]> m = new LinkedHashMap<>();
    m.put("conv.weight", new long[] {16, cin, 3, 3});
    batchNorm(m, "bn", 16);
    int c = 16;
    int block = 0;
    for (int cout : new int[] {16, 32, 64}) {
      for (int i = 0; i < 3; i++, block++) {
        String p = "layers." + block + ".";
        m.put(p + "c1.weight", new long[] {cout, c, 3, 3});
        batchNorm(m, p + "b1", cout);
        m.put(p + "c2.weight", new long[] {cout, cout, 3, 3});
        batchNorm(m, p + "b2", cout);
        if (c != cout) { // the first block of stages 2 and 3: stride 2 and a projection shortcut
          m.put(p + "short.0.weight", new long[] {cout, c, 1, 1});
          batchNorm(m, p + "short.1", cout);
        }
        c = cout;
      }
    }
    m.put("fc.weight", new long[] {classes, 64});
    m.put("fc.bias", new long[] {classes});
    return m;
  }

  private static void batchNorm(Map<String, long[]> m, String prefix, int c) {
    for (String s : new String[] {"weight", "bias", "running_mean", "running_var"}) {
      m.put(prefix + "." + s, new long[] {c});
    }
  }

  @Test
  void everyResNet20TensorLoadsWithItsPyTorchNameAndShape() {
    Path file = FIXTURE.resolve("resnet20-fmnist.safetensors");
    Checkpoint cp = SafetensorsReader.read(file);
    Map<String, long[]> expected = resnet20(1, 10);

    ShapeCheck.expect(cp.tensors(), expected, ShapeCheck::isNumBatchesTracked);
    assertThat(cp.tensors()).hasSize(107);
    assertThat(cp.tensors().keySet())
        .containsExactlyElementsOf(expected.keySet()); // state_dict order
    assertThat(cp.tensors().values().stream().mapToLong(NamedTensor::numel).sum())
        .isEqualTo(273_754);
    assertThat(cp.metadata()).containsEntry("format", "pt").containsEntry("model", "resnet20");
    assertThat(SafetensorsReader.readHeader(file).entries())
        .allSatisfy(e -> assertThat(e.dtype()).isEqualTo("F16"));
    for (NamedTensor t : cp.tensors().values()) {
      for (float v : t.data()) {
        assertThat(Float.isFinite(v)).as(t.name()).isTrue();
        if (t.name().endsWith("running_var")) {
          assertThat(v).as(t.name()).isPositive();
        }
      }
    }
    assertThat(cp.get("layers.3.short.0.weight").shape()).containsExactly(32, 16, 1, 1);
  }

  @Test
  void goldenFileDescribesThirtyTwoTestImages() throws IOException {
    JsonNode golden = new ObjectMapper().readTree(FIXTURE.resolve("golden.json").toFile());
    assertThat(golden.get("preprocess").get("mean").doubleValue()).isEqualTo(0.2860);
    assertThat(golden.get("preprocess").get("std").doubleValue()).isEqualTo(0.3530);
    assertThat(golden.get("labels")).hasSize(32);
    assertThat(golden.get("logits")).hasSize(32).allSatisfy(row -> assertThat(row).hasSize(10));
    assertThat(golden.get("pixels_u8")).hasSize(32).allSatisfy(img -> assertThat(img).hasSize(784));
    assertThat(golden.get("eval_accuracy").doubleValue()).isBetween(0.5, 1.0);
  }
}
