package org.efqat.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsRoundTripTest {
  @TempDir Path dir;

  private static final float[] SPECIALS = {
    0f,
    -0f,
    1f,
    -1f,
    0x1p-24f,
    -0x1p-24f,
    1023 * 0x1p-24f,
    0x1p-14f,
    65504f,
    -65504f,
    Float.POSITIVE_INFINITY,
    Float.NEGATIVE_INFINITY,
    Float.NaN
  };

  private static Map<String, NamedTensor> sample(SplittableRandom random) {
    Map<String, NamedTensor> m = new LinkedHashMap<>();
    float[] w = new float[16 * 3 * 3 * 3];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (random.nextGaussian() * 0.5);
    }
    m.put("zeta.conv.weight", NamedTensor.of("zeta.conv.weight", w, 16, 3, 3, 3));
    m.put("alpha.specials", NamedTensor.of("alpha.specials", SPECIALS.clone(), SPECIALS.length));
    m.put("mid.scalar", NamedTensor.of("mid.scalar", new float[] {0.125f}));
    m.put("mid.empty", NamedTensor.of("mid.empty", new float[0], 0, 4));
    m.put("blöck.é.weight", NamedTensor.of("blöck.é.weight", new float[] {2f, 3f}, 1, 2));
    return m;
  }

  @Test
  void f32RoundTripIsExactAndKeepsOrderAndMetadata() {
    Path file = dir.resolve("f32.safetensors");
    Map<String, NamedTensor> tensors = sample(new SplittableRandom(1));
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("format", "pt");
    metadata.put("epoch", "3");
    SafetensorsWriter.write(file, tensors, metadata, SafetensorsDtype.F32);

    Checkpoint cp = SafetensorsReader.read(file);
    assertThat(cp.tensors()).containsExactlyEntriesOf(tensors); // bitwise, -0 and NaN included
    assertThat(cp.metadata()).containsExactlyEntriesOf(metadata);
    assertThat(SafetensorsReader.readHeader(file).entries())
        .allSatisfy(e -> assertThat(e.dtype()).isEqualTo("F32"));
  }

  @Test
  void mixedDtypesRoundTripIntegersExactlyNextToFloats() throws IOException {
    Path file = dir.resolve("mixed.safetensors");
    Map<String, NamedTensor> tensors = new LinkedHashMap<>();
    tensors.put("w", NamedTensor.of("w", new float[] {-128f, -8f, 0f, 7f, 127f, -0f}, 2, 3));
    tensors.put("zp", NamedTensor.of("zp", new float[] {0f, 3f, 255f}, 3));
    tensors.put("scale", NamedTensor.of("scale", new float[] {0.0125f, 3e-7f}, 2));
    Map<String, SafetensorsDtype> dtypes =
        Map.of("w", SafetensorsDtype.I8, "zp", SafetensorsDtype.U8, "scale", SafetensorsDtype.F32);
    SafetensorsWriter.write(file, tensors, Map.of("format", "int"), t -> dtypes.get(t.name()));

    assertThat(SafetensorsReader.readHeader(file).entries())
        .extracting(SafetensorsHeader.Entry::dtype)
        .containsExactly("I8", "U8", "F32");
    assertThat(Files.size(file)).isEqualTo(8 + headerBytes(file) + 6 + 3 + 8);
    Checkpoint cp = SafetensorsReader.read(file);
    assertThat(cp.get("w").data()).containsExactly(-128f, -8f, 0f, 7f, 127f, 0f);
    assertThat(cp.get("zp").data()).containsExactly(0f, 3f, 255f);
    assertThat(cp.get("scale")).isEqualTo(tensors.get("scale"));
  }

  @Test
  void integerDtypesRefuseValuesTheyCannotHold() {
    Path file = dir.resolve("bad-int.safetensors");
    for (float bad : new float[] {0.5f, 128f, -129f, Float.NaN}) {
      NamedTensor t = NamedTensor.of("w", new float[] {1f, bad}, 2);
      assertThatThrownBy(
              () ->
                  SafetensorsWriter.write(file, Map.of("w", t), Map.of(), x -> SafetensorsDtype.I8))
          .isInstanceOf(CheckpointException.class)
          .hasMessage(
              file
                  + ": w: value "
                  + bad
                  + " at flat index 1 is not an integer in [-128, 127], which I8 needs");
    }
    NamedTensor negative = NamedTensor.of("z", new float[] {-1f}, 1);
    assertThatThrownBy(
            () ->
                SafetensorsWriter.write(
                    file, Map.of("z", negative), Map.of(), x -> SafetensorsDtype.U8))
        .hasMessageContaining("is not an integer in [0, 255], which U8 needs");
    assertThat(file).doesNotExist();
  }

  private static long headerBytes(Path file) throws IOException {
    byte[] head = Files.readAllBytes(file);
    return java.nio.ByteBuffer.wrap(head, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
  }

  @Test
  void f16RoundTripIsWithinHalfPrecision() {
    Path file = dir.resolve("f16.safetensors");
    Map<String, NamedTensor> tensors = sample(new SplittableRandom(2));
    SafetensorsWriter.write(file, tensors, SafetensorsDtype.F16);

    Checkpoint cp = SafetensorsReader.read(file);
    assertThat(cp.tensors().keySet()).containsExactlyElementsOf(tensors.keySet());
    for (NamedTensor t : tensors.values()) {
      NamedTensor back = cp.get(t.name());
      assertThat(back.shape()).isEqualTo(t.shape());
      for (int i = 0; i < t.numel(); i++) {
        float x = t.data()[i];
        float y = back.data()[i];
        assertThat(Float.floatToIntBits(y))
            .isEqualTo(Float.floatToIntBits(Half.toFloat(Half.fromFloat(x))));
        if (Float.isFinite(x)) {
          // half an ulp of binary16: 2^-11 relative for normals, 2^-25 absolute for subnormals
          assertThat((double) Math.abs(y - x))
              .as("%s[%d] = %s read back as %s", t.name(), i, x, y)
              .isLessThanOrEqualTo(Math.max(Math.abs(x) * 0x1p-11, 0x1p-25));
        }
      }
    }
    assertThat(cp.get("alpha.specials").data()).containsExactly(SPECIALS); // all exact in F16
    assertThat(Float.floatToRawIntBits(cp.get("alpha.specials").data()[1])).isEqualTo(0x8000_0000);
  }

  @Test
  void f16RoundsTiesToEvenAndKeepsTheLargestFiniteValue() {
    Path file = dir.resolve("ties.safetensors");
    float[] x = {1f + 0x1p-11f, 1f + 3 * 0x1p-11f, 65519f, 0x1p-25f, 1.5f * 0x1p-24f, 1e-10f};
    SafetensorsWriter.write(
        file, Map.of("t", NamedTensor.of("t", x, x.length)), SafetensorsDtype.F16);
    assertThat(SafetensorsReader.read(file).get("t").data())
        .containsExactly(1f, 1f + 4 * 0x1p-11f, 65504f, 0f, 2 * 0x1p-24f, 0f);
  }

  @Test
  void overwritesAnExistingFileAndLeavesNoTemporaryFile() throws IOException {
    Path file = dir.resolve("model.safetensors");
    Files.writeString(file, "old contents");
    SafetensorsWriter.write(
        file, Map.of("a", NamedTensor.of("a", new float[] {5f}, 1)), SafetensorsDtype.F32);
    SafetensorsWriter.write(
        file, Map.of("b", NamedTensor.of("b", new float[] {6f}, 1)), SafetensorsDtype.F32);

    assertThat(SafetensorsReader.read(file).tensors().keySet()).containsExactly("b");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList())
          .containsExactly("model.safetensors");
    }
  }

  @Test
  void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
    Path file = dir.resolve("model.safetensors");
    SafetensorsWriter.write(
        file, Map.of("a", NamedTensor.of("a", new float[] {5f}, 1)), SafetensorsDtype.F32);
    byte[] before = Files.readAllBytes(file);

    assertThatThrownBy(
            () ->
                SafetensorsWriter.write(
                    file,
                    Map.of("big", NamedTensor.of("big", new float[] {1f, 70000f}, 2)),
                    SafetensorsDtype.F16))
        .isInstanceOf(CheckpointException.class)
        .hasMessage(
            file + ": big: value 70000.0 at flat index 1 overflows F16 (largest finite 65504.0)");
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.count()).isEqualTo(1);
    }
  }

  @Test
  void writerRejectsBadInput() {
    Path file = dir.resolve("bad.safetensors");
    NamedTensor a = NamedTensor.of("a", new float[] {1f}, 1);
    assertThatThrownBy(() -> SafetensorsWriter.write(file, Map.of("b", a), SafetensorsDtype.F32))
        .isInstanceOf(CheckpointException.class)
        .hasMessage(file + ": b: map key differs from the tensor's name a");
    assertThatThrownBy(() -> SafetensorsWriter.write(file, Map.of("a", a), SafetensorsDtype.BF16))
        .isInstanceOf(CheckpointException.class)
        .hasMessage(file + ": cannot write dtype BF16 (F32, F16, I8 and U8 can be written)");
    NamedTensor reserved = NamedTensor.of("__metadata__", new float[] {1f}, 1);
    assertThatThrownBy(
            () ->
                SafetensorsWriter.write(
                    file, Map.of("__metadata__", reserved), SafetensorsDtype.F32))
        .isInstanceOf(CheckpointException.class)
        .hasMessage(file + ": __metadata__: is reserved for metadata and cannot name a tensor");
    Path nowhere = dir.resolve("missing-folder").resolve("x.safetensors");
    assertThatThrownBy(() -> SafetensorsWriter.write(nowhere, Map.of("a", a), SafetensorsDtype.F32))
        .isInstanceOf(CheckpointException.class)
        .hasMessageStartingWith(nowhere + ": cannot write: java.nio.file.NoSuchFileException");
    assertThat(Files.exists(file)).isFalse();
  }

  @Test
  void namedTensorChecksItsShape() {
    assertThatThrownBy(() -> NamedTensor.of("fc.weight", new float[6], 10, 64))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fc.weight: shape [10, 64] has 640 elements but data has 6");
    assertThatThrownBy(() -> NamedTensor.of("x", new float[0], 2, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("x: shape [2, -1] has a negative dimension");
    assertThatThrownBy(() -> NamedTensor.of("", new float[1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tensor name is empty");
    assertThat(NamedTensor.of("s", new float[] {1f}).numel()).isEqualTo(1);
    assertThat(NamedTensor.of("w", new float[6], 2, 3)).hasToString("NamedTensor[w [2, 3]]");
    assertThat(List.of(NamedTensor.of("w", new float[] {1f}, 1)))
        .containsExactly(NamedTensor.of("w", new float[] {1f}, 1));
  }
}
