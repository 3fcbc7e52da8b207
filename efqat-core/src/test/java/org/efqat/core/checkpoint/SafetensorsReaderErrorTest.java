package org.efqat.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.efqat.core.checkpoint.StFiles.concat;
import static org.efqat.core.checkpoint.StFiles.le64;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every malformed file fails with one line naming the file and the tensor. */
class SafetensorsReaderErrorTest {
  @TempDir Path dir;

  private Path file(String header, byte[] data) throws IOException {
    return StFiles.write(dir.resolve("bad.safetensors"), header, data);
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertRead(Path file) {
    return assertThatThrownBy(() -> SafetensorsReader.read(file))
        .isInstanceOf(CheckpointException.class);
  }

  private static String entry(String name, String dtype, String shape, String offsets) {
    return "\""
        + name
        + "\":{\"dtype\":\""
        + dtype
        + "\",\"shape\":"
        + shape
        + ",\"data_offsets\":"
        + offsets
        + "}";
  }

  @Test
  void missingFile() {
    Path f = dir.resolve("nope.safetensors");
    assertRead(f).hasMessage(f + ": cannot read: java.nio.file.NoSuchFileException: " + f);
  }

  @Test
  void fileTooShortForTheHeaderLength() throws IOException {
    Path f = Files.write(dir.resolve("bad.safetensors"), new byte[] {1, 2, 3});
    assertRead(f).hasMessage(f + ": file has 3 bytes, too short for the 8-byte header length");
  }

  @Test
  void headerLengthBeyondTheFileSize() throws IOException {
    Path f = Files.write(dir.resolve("bad.safetensors"), concat(le64(1000), new byte[12]));
    assertRead(f)
        .hasMessage(
            f
                + ": header length 1000 exceeds the file size 20 (not a safetensors file, or"
                + " truncated)");
    Path g = Files.write(dir.resolve("neg.safetensors"), concat(le64(-1), new byte[12]));
    assertRead(g)
        .hasMessage(
            g
                + ": header length 18446744073709551615 exceeds the file size 20 (not a safetensors"
                + " file, or truncated)");
  }

  @Test
  void headerLengthBeyondTheLimit() throws IOException {
    Path f = dir.resolve("huge.safetensors");
    long n = SafetensorsReader.MAX_HEADER_BYTES + 1;
    try (FileChannel ch =
        FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(le64(n)));
      ch.write(ByteBuffer.wrap(new byte[] {' '}), 8 + n); // sparse: no disk used for the hole
    }
    assertRead(f).hasMessage(f + ": header length 100000001 exceeds the limit of 100000000 bytes");
  }

  @Test
  void headerThatIsNotUtf8() throws IOException {
    byte[] header = {'{', '"', (byte) 0xFF, '"', ':', '{', '}', '}'};
    Path f = Files.write(dir.resolve("bad.safetensors"), concat(le64(header.length), header));
    assertRead(f).hasMessage(f + ": header is not valid UTF-8");
  }

  @Test
  void invalidJson() throws IOException {
    Path f = file("{\"a\":{\"dtype\":\"F32\",", new byte[0]);
    assertRead(f).hasMessageStartingWith(f + ": header is not valid JSON: Unexpected end-of-input");
    Path g = file("{} trailing", new byte[0]);
    assertRead(g).hasMessageStartingWith(g + ": header is not valid JSON: ");
    Path h = file("", new byte[0]);
    assertRead(h).hasMessage(h + ": header is not a JSON object (empty)");
    Path i = file("[1, 2]", new byte[0]);
    assertRead(i).hasMessage(i + ": header is not a JSON object");
  }

  @Test
  void duplicateTensorName() throws IOException {
    Path f =
        file(
            "{" + entry("a", "F32", "[1]", "[0,4]") + "," + entry("a", "F32", "[1]", "[4,8]") + "}",
            StFiles.f32(1, 2));
    assertRead(f)
        .hasMessage(f + ": header is not valid JSON: Duplicate field 'a' at line 1, column 58");
  }

  @Test
  void metadataThatIsNotStrings() throws IOException {
    Path f = file("{\"__metadata__\":{\"epoch\":3}}", new byte[0]);
    assertRead(f).hasMessage(f + ": __metadata__: value of \"epoch\" must be a string, found 3");
    Path g = file("{\"__metadata__\":[\"pt\"]}", new byte[0]);
    assertRead(g)
        .hasMessage(g + ": __metadata__: must be a JSON object of strings, found [\"pt\"]");
  }

  @Test
  void malformedEntries() throws IOException {
    Path f = file("{\"a\":[0,4]}", new byte[4]);
    assertRead(f).hasMessage(f + ": a: header entry must be a JSON object, found [0,4]");
    Path g = file("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]);
    assertRead(g).hasMessage(g + ": a: dtype must be a string, found nothing");
    Path h = file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"offsets\":[0,4]}}", new byte[4]);
    assertRead(h)
        .hasMessage(h + ": a: unknown key \"offsets\" (expected dtype, shape, data_offsets)");
    Path i = file("{" + entry("a", "F32", "[-1]", "[0,4]") + "}", new byte[4]);
    assertRead(i)
        .hasMessage(i + ": a: shape must be an array of non-negative integers, found [-1]");
    Path j = file("{" + entry("a", "F32", "[1.5]", "[0,4]") + "}", new byte[4]);
    assertRead(j)
        .hasMessage(j + ": a: shape must be an array of non-negative integers, found [1.5]");
    Path k = file("{" + entry("a", "F32", "[1]", "[0]") + "}", new byte[4]);
    assertRead(k).hasMessage(k + ": a: data_offsets must be [begin, end], found [0]");
    Path l = file("{" + entry("", "F32", "[1]", "[0,4]") + "}", new byte[4]);
    assertRead(l).hasMessage(l + ": header has a tensor with an empty name");
  }

  @Test
  void offsetsThatEndBeforeTheyBegin() throws IOException {
    Path f = file("{" + entry("a", "F32", "[0]", "[8,0]") + "}", new byte[8]);
    assertRead(f).hasMessage(f + ": a: data_offsets [8, 0] end before they begin");
  }

  @Test
  void offsetsThatDoNotMatchShapeTimesDtypeSize() throws IOException {
    Path f = file("{" + entry("fc.weight", "F32", "[10,64]", "[0,100]") + "}", new byte[100]);
    assertRead(f)
        .hasMessage(
            f
                + ": fc.weight: data_offsets [0, 100] hold 100 bytes but shape [10, 64] of F32"
                + " needs 2560");
    Path g =
        file("{" + entry("n", "I64", "[]", "[0,4]") + "}", new byte[4]); // checked when skipped too
    assertThatThrownBy(() -> SafetensorsReader.read(g, name -> false))
        .isInstanceOf(CheckpointException.class)
        .hasMessage(g + ": n: data_offsets [0, 4] hold 4 bytes but shape [] of I64 needs 8");
  }

  @Test
  void truncatedData() throws IOException {
    Path f = file("{" + entry("a", "F32", "[4]", "[0,16]") + "}", new byte[8]);
    assertRead(f)
        .hasMessage(
            f
                + ": a: data_offsets [0, 16] reach past the 8 data bytes after the header (file"
                + " truncated?)");
  }

  @Test
  void overlappingTensors() throws IOException {
    Path f =
        file(
            "{"
                + entry("a", "F32", "[2]", "[0,8]")
                + ","
                + entry("b", "F32", "[2]", "[4,12]")
                + "}",
            new byte[12]);
    assertRead(f).hasMessage(f + ": b: data_offsets [4, 12] overlap a [0, 8]");
  }

  @Test
  void gapsAndTrailingBytes() throws IOException {
    Path f =
        file(
            "{"
                + entry("a", "F32", "[2]", "[0,8]")
                + ","
                + entry("b", "F32", "[2]", "[12,20]")
                + "}",
            new byte[20]);
    assertRead(f)
        .hasMessage(f + ": b: data_offsets [12, 20] leave data bytes [8, 12) unused after a");
    Path g = file("{" + entry("a", "F32", "[1]", "[4,8]") + "}", new byte[8]);
    assertRead(g)
        .hasMessage(g + ": a: data_offsets [4, 8] leave data bytes [0, 4) unused at the start");
    Path h = file("{" + entry("a", "F32", "[2]", "[0,8]") + "}", new byte[12]);
    assertRead(h).hasMessage(h + ": 4 data bytes after the last tensor a belong to no tensor");
  }

  @Test
  void unsupportedDtypeNamesTheTensor() throws IOException {
    Path f =
        file(
            "{"
                + entry("bn.weight", "F32", "[1]", "[0,4]")
                + ","
                + entry("bn.num_batches_tracked", "I64", "[]", "[4,12]")
                + "}",
            new byte[12]);
    assertRead(f)
        .hasMessage(
            f
                + ": bn.num_batches_tracked: dtype I64 is not supported (F32, F16, BF16, F64, I8, U8"
                + " are; leave the tensor out with SafetensorsReader.read(file, include))");
    Path g = file("{" + entry("q", "Q4_K", "[8]", "[0,4]") + "}", new byte[4]);
    assertRead(g).hasMessageStartingWith(g + ": q: dtype Q4_K is not supported");
  }

  @Test
  void headerLengthIsCountedInBytesNotCharacters() throws IOException {
    // "é" is two UTF-8 bytes: a length counted in chars would cut the JSON short.
    String header = "{" + entry("é", "F32", "[1]", "[0,4]") + "}";
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    Path f =
        Files.write(
            dir.resolve("bad.safetensors"), concat(le64(header.length()), h, StFiles.f32(1f)));
    assertRead(f).hasMessageStartingWith(f + ": header is not valid JSON: ");
  }
}
