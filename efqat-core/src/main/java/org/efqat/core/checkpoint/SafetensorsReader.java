package org.efqat.core.checkpoint;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.DoubleBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Reads safetensors files (<a href="https://github.com/huggingface/safetensors">format</a>): an
 * unsigned 64-bit little-endian header length {@code N}, {@code N} bytes of UTF-8 JSON {@code
 * {"name": {"dtype": "F16", "shape": [16, 1, 3, 3], "data_offsets": [begin, end]}, ...,
 * "__metadata__": {"key": "value"}}} (the metadata optional), then the little-endian data; offsets
 * are relative to the first byte after the header.
 *
 * <p>Tensors of dtype F32, F16, BF16, F64, I8 and U8 are converted to FP32 (F64 rounds to nearest,
 * the others are exact); any other dtype (I64, BOOL, ...) is an error unless the tensor is left out
 * with the {@code include} filter of {@link #read(Path, Predicate)}. The header is checked as
 * strictly as the reference implementation does: header length within the file and at most {@link
 * #MAX_HEADER_BYTES}, valid UTF-8 JSON without duplicate names, every entry with exactly {@code
 * dtype}, {@code shape} and {@code data_offsets}, offsets that match shape × dtype size and tile
 * the data section without overlap, gap or trailing bytes. Every error is a {@link
 * CheckpointException} with one line naming the file and the tensor.
 *
 * <p>Data is read with bulk positional reads from a {@link FileChannel}, one tensor at a time. Each
 * tensor must fit one Java array (fewer than 2^31 bytes on disk and 2^31 elements).
 */
public final class SafetensorsReader {
  /** The largest header accepted, in bytes, the limit of the reference implementation. */
  public static final long MAX_HEADER_BYTES = 100_000_000L;

  /** Bytes per element of every dtype of the format, for offset checks of skipped tensors. */
  private static final Map<String, Integer> FORMAT_DTYPE_BYTES =
      Map.ofEntries(
          Map.entry("BOOL", 1),
          Map.entry("U8", 1),
          Map.entry("I8", 1),
          Map.entry("F8_E5M2", 1),
          Map.entry("F8_E4M3", 1),
          Map.entry("F8_E8M0", 1),
          Map.entry("I16", 2),
          Map.entry("U16", 2),
          Map.entry("F16", 2),
          Map.entry("BF16", 2),
          Map.entry("I32", 4),
          Map.entry("U32", 4),
          Map.entry("F32", 4),
          Map.entry("I64", 8),
          Map.entry("U64", 8),
          Map.entry("F64", 8),
          Map.entry("C64", 8));

  private static final String METADATA_KEY = "__metadata__";
  private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
  private static final int CHUNK = 8192;

  private SafetensorsReader() {}

  /**
   * Reads every tensor of a file.
   *
   * @param file a safetensors file
   * @return the tensors as FP32, in header order, and the metadata
   * @throws CheckpointException when the file cannot be read, is malformed, or holds a tensor of a
   *     dtype other than F32, F16, BF16, F64, I8, U8
   */
  public static Checkpoint read(Path file) {
    return read(file, name -> true);
  }

  /**
   * Reads the tensors a filter selects; the others are checked in the header but not loaded, so
   * their dtype may be one this reader does not convert (for example PyTorch's I64 {@code
   * num_batches_tracked}: {@code read(file, n -> !ShapeCheck.isNumBatchesTracked(n))}).
   *
   * @param file a safetensors file
   * @param include true for the names to load
   * @return the selected tensors as FP32, in header order, and the metadata
   * @throws CheckpointException when the file cannot be read, is malformed, or a selected tensor
   *     has a dtype other than F32, F16, BF16, F64, I8, U8
   */
  public static Checkpoint read(Path file, Predicate<String> include) {
    Objects.requireNonNull(file, "file is null");
    Objects.requireNonNull(include, "include is null");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      SafetensorsHeader header = readHeader(file, ch);
      List<SafetensorsHeader.Entry> selected = new ArrayList<>();
      long largest = 0;
      for (SafetensorsHeader.Entry e : header.entries()) {
        if (!include.test(e.name())) {
          continue;
        }
        dtypeOf(file, e);
        if (e.byteLength() > MAX_ARRAY) {
          throw fail(
              file, e.name(), "holds " + e.byteLength() + " bytes, more than one Java array");
        }
        selected.add(e);
        largest = Math.max(largest, e.byteLength());
      }
      ByteBuffer buf = ByteBuffer.allocate((int) largest).order(ByteOrder.LITTLE_ENDIAN);
      Map<String, NamedTensor> tensors = new LinkedHashMap<>();
      for (SafetensorsHeader.Entry e : selected) {
        buf.clear().limit((int) e.byteLength());
        readFully(file, e.name(), ch, buf, header.dataStart() + e.begin());
        buf.flip();
        float[] data = decode(dtypeOf(file, e), buf, (int) NamedTensor.numel(e.name(), e.shape()));
        tensors.put(e.name(), new NamedTensor(e.name(), e.shape().clone(), data));
      }
      return new Checkpoint(tensors, header.metadata());
    } catch (IOException e) {
      throw new CheckpointException(file + ": cannot read: " + e, e);
    }
  }

  /**
   * Reads and validates only the header, without loading any tensor data.
   *
   * @param file a safetensors file
   * @return the entries in header order and the metadata
   * @throws CheckpointException when the file cannot be read or the header is malformed
   */
  public static SafetensorsHeader readHeader(Path file) {
    Objects.requireNonNull(file, "file is null");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return readHeader(file, ch);
    } catch (IOException e) {
      throw new CheckpointException(file + ": cannot read: " + e, e);
    }
  }

  private static SafetensorsHeader readHeader(Path file, FileChannel ch) throws IOException {
    long size = ch.size();
    if (size < 8) {
      throw new CheckpointException(
          file + ": file has " + size + " bytes, too short for the 8-byte header length");
    }
    ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(file, "header length", ch, lenBuf, 0);
    long n = lenBuf.getLong(0);
    if (n < 0 || n > size - 8) {
      throw new CheckpointException(
          file
              + ": header length "
              + Long.toUnsignedString(n)
              + " exceeds the file size "
              + size
              + " (not a safetensors file, or truncated)");
    }
    if (n > MAX_HEADER_BYTES) {
      throw new CheckpointException(
          file + ": header length " + n + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
    }
    ByteBuffer headerBuf = ByteBuffer.allocate((int) n);
    readFully(file, "header", ch, headerBuf, 8);
    headerBuf.flip();
    String json;
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(headerBuf);
      json = chars.toString();
    } catch (CharacterCodingException e) {
      throw new CheckpointException(file + ": header is not valid UTF-8", e);
    }
    long dataStart = 8 + n;
    return parseHeader(file, json, dataStart, size - dataStart);
  }

  private static SafetensorsHeader parseHeader(
      Path file, String json, long dataStart, long dataLength) {
    JsonNode root;
    try {
      root = Json.READER.readTree(json);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new CheckpointException(
          file + ": header is not valid JSON: " + oneLine(e.getOriginalMessage()) + where, e);
    }
    if (root == null || !root.isObject()) {
      boolean empty = json.isBlank();
      throw new CheckpointException(
          file + ": header is not a JSON object" + (empty ? " (empty)" : ""));
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    List<SafetensorsHeader.Entry> entries = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      if (field.getKey().equals(METADATA_KEY)) {
        parseMetadata(file, field.getValue(), metadata);
      } else {
        entries.add(parseEntry(file, field.getKey(), field.getValue(), dataLength));
      }
    }
    checkTiling(file, entries, dataLength);
    return new SafetensorsHeader(entries, metadata, dataStart);
  }

  private static void parseMetadata(Path file, JsonNode node, Map<String, String> out) {
    if (!node.isObject()) {
      throw fail(file, METADATA_KEY, "must be a JSON object of strings, found " + kind(node));
    }
    for (Map.Entry<String, JsonNode> f : node.properties()) {
      if (!f.getValue().isTextual()) {
        throw fail(
            file,
            METADATA_KEY,
            "value of \"" + f.getKey() + "\" must be a string, found " + kind(f.getValue()));
      }
      out.put(f.getKey(), f.getValue().textValue());
    }
  }

  private static SafetensorsHeader.Entry parseEntry(
      Path file, String name, JsonNode node, long dataLength) {
    if (name.isEmpty()) {
      throw new CheckpointException(file + ": header has a tensor with an empty name");
    }
    if (!node.isObject()) {
      throw fail(file, name, "header entry must be a JSON object, found " + kind(node));
    }
    for (Map.Entry<String, JsonNode> property : node.properties()) {
      String key = property.getKey();
      if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
        throw fail(file, name, "unknown key \"" + key + "\" (expected dtype, shape, data_offsets)");
      }
    }
    JsonNode dtypeNode = node.get("dtype");
    if (dtypeNode == null || !dtypeNode.isTextual()) {
      throw fail(file, name, "dtype must be a string, found " + kind(dtypeNode));
    }
    String dtype = dtypeNode.textValue();
    long[] shape = longs(file, name, "shape", node.get("shape"), -1);
    long[] offsets = longs(file, name, "data_offsets", node.get("data_offsets"), 2);
    long begin = offsets[0];
    long end = offsets[1];
    String range = "data_offsets [" + begin + ", " + end + "]";
    if (end < begin) {
      throw fail(file, name, range + " end before they begin");
    }
    long numel;
    try {
      numel = NamedTensor.numel(name, shape);
    } catch (IllegalArgumentException e) {
      throw fail(file, name, "shape " + Arrays.toString(shape) + " overflows a 64-bit size");
    }
    Integer elemBytes = FORMAT_DTYPE_BYTES.get(dtype);
    if (elemBytes != null) {
      long needed;
      try {
        needed = Math.multiplyExact(numel, elemBytes.longValue());
      } catch (ArithmeticException e) {
        throw fail(file, name, "shape " + Arrays.toString(shape) + " overflows a 64-bit size");
      }
      if (end - begin != needed) {
        throw fail(
            file,
            name,
            range
                + " hold "
                + (end - begin)
                + " bytes but shape "
                + Arrays.toString(shape)
                + " of "
                + dtype
                + " needs "
                + needed);
      }
    }
    if (end > dataLength) {
      throw fail(
          file,
          name,
          range
              + " reach past the "
              + dataLength
              + " data bytes after the header (file truncated?)");
    }
    return new SafetensorsHeader.Entry(name, dtype, shape, begin, end);
  }

  /** Checks that the entries, sorted by offset, cover the data section exactly once. */
  private static void checkTiling(Path file, List<SafetensorsHeader.Entry> entries, long length) {
    List<SafetensorsHeader.Entry> sorted = new ArrayList<>(entries);
    sorted.sort(
        Comparator.comparingLong(SafetensorsHeader.Entry::begin)
            .thenComparingLong(SafetensorsHeader.Entry::end));
    long pos = 0;
    SafetensorsHeader.Entry prev = null;
    for (SafetensorsHeader.Entry e : sorted) {
      String range = "data_offsets [" + e.begin() + ", " + e.end() + "]";
      if (e.begin() < pos) {
        throw fail(
            file,
            e.name(),
            range + " overlap " + prev.name() + " [" + prev.begin() + ", " + prev.end() + "]");
      }
      if (e.begin() > pos) {
        throw fail(
            file,
            e.name(),
            range
                + " leave data bytes ["
                + pos
                + ", "
                + e.begin()
                + ") unused"
                + (prev == null ? " at the start" : " after " + prev.name()));
      }
      if (e.end() > e.begin()) {
        pos = e.end();
        prev = e;
      }
    }
    if (pos != length) {
      throw new CheckpointException(
          file
              + ": "
              + (length - pos)
              + " data bytes after the last tensor"
              + (prev == null ? "" : " " + prev.name())
              + " belong to no tensor");
    }
  }

  private static long[] longs(Path file, String name, String key, JsonNode node, int count) {
    String what = count < 0 ? "an array of non-negative integers" : "[begin, end]";
    if (node == null || !node.isArray() || (count >= 0 && node.size() != count)) {
      throw fail(file, name, key + " must be " + what + ", found " + kind(node));
    }
    long[] out = new long[node.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = node.get(i);
      if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
        throw fail(file, name, key + " must be " + what + ", found " + oneLine(node.toString()));
      }
      out[i] = v.longValue();
    }
    return out;
  }

  private static SafetensorsDtype dtypeOf(Path file, SafetensorsHeader.Entry e) {
    Optional<SafetensorsDtype> t = SafetensorsDtype.fromHeaderName(e.dtype());
    if (t.isEmpty()) {
      throw fail(
          file,
          e.name(),
          "dtype "
              + e.dtype()
              + " is not supported (F32, F16, BF16, F64, I8, U8 are; leave the tensor"
              + " out with SafetensorsReader.read(file, include))");
    }
    return t.get();
  }

  private static float[] decode(SafetensorsDtype dtype, ByteBuffer buf, int numel) {
    float[] out = new float[numel];
    switch (dtype) {
      case F32 -> buf.asFloatBuffer().get(out);
      case F64 -> {
        DoubleBuffer db = buf.asDoubleBuffer();
        double[] chunk = new double[Math.min(CHUNK, numel)];
        for (int i = 0; i < numel; i += chunk.length) {
          int len = Math.min(chunk.length, numel - i);
          db.get(chunk, 0, len);
          for (int j = 0; j < len; j++) {
            out[i + j] = (float) chunk[j];
          }
        }
      }
      case I8, U8 -> {
        boolean unsigned = dtype == SafetensorsDtype.U8;
        for (int i = 0; i < numel; i++) {
          byte b = buf.get();
          out[i] = unsigned ? Byte.toUnsignedInt(b) : b;
        }
      }
      case F16, BF16 -> {
        ShortBuffer sb = buf.asShortBuffer();
        short[] chunk = new short[Math.min(CHUNK, numel)];
        boolean bf16 = dtype == SafetensorsDtype.BF16;
        for (int i = 0; i < numel; i += chunk.length) {
          int len = Math.min(chunk.length, numel - i);
          sb.get(chunk, 0, len);
          for (int j = 0; j < len; j++) {
            out[i + j] = bf16 ? Half.bfloat16ToFloat(chunk[j]) : Half.toFloat(chunk[j]);
          }
        }
      }
    }
    return out;
  }

  private static void readFully(Path file, String what, FileChannel ch, ByteBuffer buf, long pos)
      throws IOException {
    long at = pos;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, at);
      if (n < 0) {
        throw fail(file, what, "file ends at byte " + at + " while reading (truncated)");
      }
      at += n;
    }
  }

  private static CheckpointException fail(Path file, String tensor, String problem) {
    return new CheckpointException(file + ": " + tensor + ": " + problem);
  }

  private static String kind(JsonNode node) {
    if (node == null) {
      return "nothing";
    }
    String s = oneLine(node.toString());
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").trim();
  }

  /** Lazy holder of the immutable JSON reader (no mutable statics). */
  private static final class Json {
    static final ObjectReader READER =
        JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build()
            .reader();
  }
}
