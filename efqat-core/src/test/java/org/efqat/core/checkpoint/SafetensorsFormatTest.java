package org.efqat.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.efqat.core.checkpoint.StFiles.concat;
import static org.efqat.core.checkpoint.StFiles.le64;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Byte-exact checks against the reference format. The expected bytes follow the reference
 * implementation's own serialization test (huggingface/safetensors, Python bindings, {@code
 * test_serialization}: {@code save({"test": torch.zeros((2, 2), dtype=torch.int32)})} gives header
 * length 64, compact JSON of 60 bytes padded with 4 spaces, then 16 data bytes), with I32 swapped
 * for F32 and F16 of the same shape.
 */
class SafetensorsFormatTest {
  @TempDir Path dir;

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void f32FileIsByteForByteTheReferenceLayout() throws IOException {
    Path file = dir.resolve("test.safetensors");
    Map<String, NamedTensor> tensors =
        Map.of("test", NamedTensor.of("test", new float[] {1f, 2f, 3f, 4f}, 2, 2));
    SafetensorsWriter.write(file, tensors, SafetensorsDtype.F32);

    byte[] expected =
        concat(
            le64(64),
            ascii("{\"test\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}"),
            ascii("    "), // 60 bytes of JSON padded to 64
            new byte[] {
              0, 0, (byte) 0x80, 0x3F, 0, 0, 0, 0x40, 0, 0, 0x40, 0x40, 0, 0, (byte) 0x80, 0x40
            });
    assertThat(Files.readAllBytes(file)).isEqualTo(expected);
  }

  @Test
  void f16FileIsByteForByteTheReferenceLayout() throws IOException {
    Path file = dir.resolve("half.safetensors");
    Map<String, NamedTensor> tensors =
        Map.of("test", NamedTensor.of("test", new float[] {1f, -2f, 0.5f, 65504f}, 4));
    SafetensorsWriter.write(file, tensors, SafetensorsDtype.F16);

    byte[] expected =
        concat(
            le64(64),
            ascii("{\"test\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,8]}}"),
            ascii("       "), // 57 bytes of JSON padded to 64
            new byte[] {0, 0x3C, 0, (byte) 0xC0, 0, 0x38, (byte) 0xFF, 0x7B});
    assertThat(Files.readAllBytes(file)).isEqualTo(expected);
  }

  @Test
  void metadataComesFirstAndScalarsHaveAnEmptyShape() throws IOException {
    Path file = dir.resolve("meta.safetensors");
    SafetensorsWriter.write(
        file,
        Map.of("a", NamedTensor.of("a", new float[] {1f})),
        Map.of("format", "pt"),
        SafetensorsDtype.F32);

    String json =
        "{\"__metadata__\":{\"format\":\"pt\"},\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}";
    byte[] expected = concat(le64(88), ascii(json), ascii("    "), StFiles.f32(1f));
    assertThat(Files.readAllBytes(file)).isEqualTo(expected);
  }

  @Test
  void readsTheReferenceTestFileHeaderAndRejectsItsIntegerData() throws IOException {
    // The reference test's own bytes: an I32 tensor, which this package does not convert.
    byte[] reference =
        concat(
            le64(64),
            ascii("{\"test\":{\"dtype\":\"I32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}    "),
            new byte[16]);
    Path file = Files.write(dir.resolve("ref.safetensors"), reference);

    SafetensorsHeader header = SafetensorsReader.readHeader(file);
    assertThat(header.entries())
        .containsExactly(new SafetensorsHeader.Entry("test", "I32", new long[] {2, 2}, 0, 16));
    assertThat(header.dataStart()).isEqualTo(72);
    assertThatThrownBy(() -> SafetensorsReader.read(file))
        .isInstanceOf(CheckpointException.class)
        .hasMessage(
            file
                + ": test: dtype I32 is not supported (F32, F16, BF16, F64, I8, U8 are; leave the"
                + " tensor out with SafetensorsReader.read(file, include))");
    assertThat(SafetensorsReader.read(file, name -> false).tensors()).isEmpty();
  }

  @Test
  void readsAnOlderFileWhoseHeaderIsNotPaddedToEightBytes() throws IOException {
    // From the reference's Python tests of an older version: header length 102 (0x66).
    String json =
        "{\"__metadata__\":{\"framework\":\"pt\"},\"test1\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}       ";
    assertThat(json.length()).isEqualTo(102);
    Path file = StFiles.write(dir.resolve("old.safetensors"), json, StFiles.f32(1, 2, 3, 4));

    Checkpoint cp = SafetensorsReader.read(file);
    assertThat(cp.metadata()).containsExactly(Map.entry("framework", "pt"));
    assertThat(cp.get("test1")).isEqualTo(NamedTensor.of("test1", new float[] {1, 2, 3, 4}, 2, 2));
  }

  @Test
  void readsBf16F16F64AndF32InOneFile() throws IOException {
    String header =
        "{\"w.bf16\":{\"dtype\":\"BF16\",\"shape\":[2,2],\"data_offsets\":[0,8]},"
            + "\"w.f16\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[8,14]},"
            + "\"w.f64\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[14,30]},"
            + "\"w.f32\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[30,34]},"
            + "\"__metadata__\":{\"format\":\"pt\",\"note\":\"metadata may come last\"}}";
    byte[] data =
        concat(
            StFiles.u16(0x3F80, 0xC000, 0x4049, 0xFF80), // 1, -2, 3.140625, -inf
            StFiles.u16(0x3C00, 0x0001, 0x7E00), // 1, 2^-24, NaN
            StFiles.f64(0.1, -3.5),
            StFiles.f32(7.25f));
    Path file = StFiles.write(dir.resolve("mixed.safetensors"), header, data);

    Checkpoint cp = SafetensorsReader.read(file);
    assertThat(cp.tensors().keySet()).containsExactly("w.bf16", "w.f16", "w.f64", "w.f32");
    assertThat(cp.get("w.bf16").data())
        .containsExactly(1f, -2f, 3.140625f, Float.NEGATIVE_INFINITY);
    assertThat(cp.get("w.bf16").shape()).containsExactly(2, 2);
    assertThat(cp.get("w.f16").data()).containsExactly(1f, 0x1p-24f, Float.NaN);
    assertThat(cp.get("w.f64").data()).containsExactly(0.1f, -3.5f);
    assertThat(cp.get("w.f32").data()).containsExactly(7.25f);
    assertThat(cp.metadata())
        .containsExactly(Map.entry("format", "pt"), Map.entry("note", "metadata may come last"));
  }

  @Test
  void headerOrderIsKeptEvenWhenTheDataIsInAnotherOrder() throws IOException {
    String header =
        "{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},"
            + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
    Path file = StFiles.write(dir.resolve("order.safetensors"), header, StFiles.f32(1f, 2f));

    Checkpoint cp = SafetensorsReader.read(file);
    assertThat(cp.tensors().keySet()).containsExactly("b", "a");
    assertThat(cp.get("a").data()).containsExactly(1f);
    assertThat(cp.get("b").data()).containsExactly(2f);
  }

  @Test
  void zeroSizeTensorsNeedNoBytes() throws IOException {
    String header =
        "{\"empty\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[0,0]},"
            + "\"x\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]},"
            + "\"tail\":{\"dtype\":\"F64\",\"shape\":[2,0],\"data_offsets\":[2,2]}}";
    Path file = StFiles.write(dir.resolve("zero.safetensors"), header, StFiles.u16(0x3C00));

    Checkpoint cp = SafetensorsReader.read(file);
    assertThat(cp.get("empty").data()).isEmpty();
    assertThat(cp.get("empty").shape()).containsExactly(0, 3);
    assertThat(cp.get("x").data()).containsExactly(1f);
    assertThat(cp.get("tail").data()).isEmpty();
  }

  @Test
  void skippedTensorsMayHaveAnyDtypeOfTheFormat() throws IOException {
    String header =
        "{\"bn.weight\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"bn.num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[8,16]}}";
    Path file =
        StFiles.write(dir.resolve("bn.safetensors"), header, concat(StFiles.f32(1f, 2f), le64(94)));

    Checkpoint cp = SafetensorsReader.read(file, n -> !ShapeCheck.isNumBatchesTracked(n));
    assertThat(cp.tensors().keySet()).containsExactly("bn.weight");
  }

  @Test
  void headerEntriesAreListedWithoutLoadingData() throws IOException {
    Path file = dir.resolve("list.safetensors");
    Map<String, NamedTensor> tensors = new LinkedHashMap<>();
    tensors.put("fc.weight", NamedTensor.of("fc.weight", new float[6], 2, 3));
    tensors.put("fc.bias", NamedTensor.of("fc.bias", new float[2], 2));
    SafetensorsWriter.write(file, tensors, Map.of("format", "pt"), SafetensorsDtype.F16);

    SafetensorsHeader header = SafetensorsReader.readHeader(file);
    assertThat(header.entries())
        .containsExactly(
            new SafetensorsHeader.Entry("fc.weight", "F16", new long[] {2, 3}, 0, 12),
            new SafetensorsHeader.Entry("fc.bias", "F16", new long[] {2}, 12, 16));
    assertThat(header.metadata()).containsExactly(Map.entry("format", "pt"));
    assertThat(header.dataStart() % 8).isZero();
  }
}
