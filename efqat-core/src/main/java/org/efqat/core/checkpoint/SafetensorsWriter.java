package org.efqat.core.checkpoint;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Writes safetensors files that the reference implementation (and so PyTorch's {@code
 * safetensors.torch.load_file}) reads: an unsigned 64-bit little-endian header length {@code N},
 * the compact JSON header ({@code __metadata__} first when there is metadata, then every tensor as
 * {@code {"dtype":..,"shape":[..],"data_offsets":[begin,end]}}) padded with spaces to a multiple of
 * 8 bytes as the reference does, then the little-endian data with no gaps.
 *
 * <p>Tensors are written in the order of the given map (the reference sorts by dtype and name
 * instead; readers do not care). Every tensor gets the {@code dtype} asked for, one for all or one
 * per tensor: {@link SafetensorsDtype#F32} (exact), {@link SafetensorsDtype#F16} (round to nearest,
 * ties to even; a finite value that would overflow to infinity, magnitude {@code >= 65520}, is an
 * error rather than a silent {@code inf}), or {@link SafetensorsDtype#I8} / {@link
 * SafetensorsDtype#U8} (every value must be an integer in the type's range; anything else is an
 * error, never a silent rounding).
 *
 * <p>The write is atomic: the file is written and forced to disk under a temporary name in the same
 * folder, then moved over {@code file} with {@link StandardCopyOption#ATOMIC_MOVE}. Readers see the
 * old file or the new one, never a partial one; on failure the temporary file is removed and {@code
 * file} is untouched.
 */
public final class SafetensorsWriter {
  private static final int CHUNK_BYTES = 1 << 20;

  private SafetensorsWriter() {}

  /**
   * Writes tensors without metadata.
   *
   * @param file the target; its folder must exist
   * @param tensors FP32 tensors by name; each key must equal its tensor's name
   * @param dtype F32 or F16
   * @throws CheckpointException on invalid input or an I/O error
   */
  public static void write(Path file, Map<String, NamedTensor> tensors, SafetensorsDtype dtype) {
    write(file, tensors, Map.of(), dtype);
  }

  /**
   * Writes tensors and metadata.
   *
   * @param file the target; its folder must exist
   * @param tensors FP32 tensors by name, written in the map's order; each key must equal its
   *     tensor's name, and no name may be {@code __metadata__}
   * @param metadata string pairs for the header's {@code __metadata__} (PyTorch writes {@code
   *     format: pt}); omitted when empty
   * @param dtype F32 or F16
   * @throws CheckpointException on invalid input or an I/O error
   */
  public static void write(
      Path file,
      Map<String, NamedTensor> tensors,
      Map<String, String> metadata,
      SafetensorsDtype dtype) {
    Objects.requireNonNull(dtype, "dtype is null");
    write(file, tensors, metadata, t -> dtype);
  }

  /**
   * Writes tensors and metadata, each tensor with its own dtype (for example {@code I8} integer
   * weights next to {@code F32} scales).
   *
   * @param file the target; its folder must exist
   * @param tensors FP32 tensors by name, written in the map's order; each key must equal its
   *     tensor's name, and no name may be {@code __metadata__}
   * @param metadata string pairs for the header's {@code __metadata__}; omitted when empty
   * @param dtypes the dtype of each tensor: F32, F16, I8 or U8
   * @throws CheckpointException on invalid input (a value the dtype cannot hold exactly, for the
   *     integer types) or an I/O error
   */
  public static void write(
      Path file,
      Map<String, NamedTensor> tensors,
      Map<String, String> metadata,
      Function<NamedTensor, SafetensorsDtype> dtypes) {
    Objects.requireNonNull(file, "file is null");
    Objects.requireNonNull(tensors, "tensors is null");
    Objects.requireNonNull(metadata, "metadata is null");
    Objects.requireNonNull(dtypes, "dtypes is null");
    Map<String, SafetensorsDtype> dtype = new java.util.HashMap<>();
    for (NamedTensor t : tensors.values()) {
      if (t != null) {
        dtype.put(
            t.name(), Objects.requireNonNull(dtypes.apply(t), "dtype of " + t.name() + " is null"));
      }
    }
    validate(file, tensors, dtype);
    byte[] header = header(file, tensors, metadata, dtype);
    Path target = file.toAbsolutePath();
    Path tmp = createTemp(target);
    boolean moved = false;
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(header.length).flip();
        writeFully(ch, buf);
        writeFully(ch, ByteBuffer.wrap(header));
        for (NamedTensor t : tensors.values()) {
          writeData(ch, buf, t.data(), dtype.get(t.name()));
        }
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      moved = true;
    } catch (AtomicMoveNotSupportedException e) {
      throw new CheckpointException(
          file + ": cannot write: the file system does not support an atomic move", e);
    } catch (IOException e) {
      throw new CheckpointException(file + ": cannot write: " + e, e);
    } finally {
      if (!moved) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the original error is the one worth reporting
        }
      }
    }
  }

  /**
   * The padded JSON header exactly as written: UTF-8, no whitespace except the trailing spaces that
   * pad it to a multiple of 8 bytes.
   *
   * @param file the target, for messages
   * @param tensors tensors in write order
   * @param metadata may be empty
   * @param dtype the dtype of each tensor, by name
   * @return header bytes, length a multiple of 8
   */
  static byte[] header(
      Path file,
      Map<String, NamedTensor> tensors,
      Map<String, String> metadata,
      Map<String, SafetensorsDtype> dtype) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      if (!metadata.isEmpty()) {
        g.writeObjectFieldStart("__metadata__");
        for (Map.Entry<String, String> m : metadata.entrySet()) {
          g.writeStringField(
              Objects.requireNonNull(m.getKey(), "metadata key is null"),
              Objects.requireNonNull(m.getValue(), "metadata value of " + m.getKey() + " is null"));
        }
        g.writeEndObject();
      }
      long offset = 0;
      for (NamedTensor t : tensors.values()) {
        SafetensorsDtype type = dtype.get(t.name());
        long bytes = (long) t.numel() * type.byteSize();
        g.writeObjectFieldStart(t.name());
        g.writeStringField("dtype", type.name());
        g.writeArrayFieldStart("shape");
        for (long d : t.shape()) {
          g.writeNumber(d);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("data_offsets");
        g.writeNumber(offset);
        g.writeNumber(offset + bytes);
        g.writeEndArray();
        g.writeEndObject();
        offset += bytes;
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new CheckpointException(file + ": cannot write the header: " + e, e);
    }
    int pad = (8 - out.size() % 8) % 8;
    for (int i = 0; i < pad; i++) {
      out.write(' ');
    }
    return out.toByteArray();
  }

  private static void validate(
      Path file, Map<String, NamedTensor> tensors, Map<String, SafetensorsDtype> dtypes) {
    for (Map.Entry<String, NamedTensor> e : tensors.entrySet()) {
      NamedTensor t = Objects.requireNonNull(e.getValue(), "tensor " + e.getKey() + " is null");
      SafetensorsDtype dtype = dtypes.get(t.name());
      if (!dtype.writable()) {
        throw new CheckpointException(
            file + ": cannot write dtype " + dtype + " (F32, F16, I8 and U8 can be written)");
      }
      if (!t.name().equals(e.getKey())) {
        throw new CheckpointException(
            file + ": " + e.getKey() + ": map key differs from the tensor's name " + t.name());
      }
      if (t.name().equals("__metadata__")) {
        throw new CheckpointException(
            file + ": __metadata__: is reserved for metadata and cannot name a tensor");
      }
      if (dtype == SafetensorsDtype.F16) {
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
          if (Float.isFinite(d[i]) && Math.abs(d[i]) >= 65520f) {
            throw new CheckpointException(
                file
                    + ": "
                    + t.name()
                    + ": value "
                    + d[i]
                    + " at flat index "
                    + i
                    + " overflows F16 (largest finite "
                    + Half.MAX_VALUE
                    + ")");
          }
        }
      }
      if (dtype == SafetensorsDtype.I8 || dtype == SafetensorsDtype.U8) {
        checkIntegers(file, t, dtype);
      }
    }
  }

  private static void checkIntegers(Path file, NamedTensor t, SafetensorsDtype dtype) {
    int lo = dtype == SafetensorsDtype.I8 ? Byte.MIN_VALUE : 0;
    int hi = dtype == SafetensorsDtype.I8 ? Byte.MAX_VALUE : 255;
    float[] d = t.data();
    for (int i = 0; i < d.length; i++) {
      if (!(d[i] >= lo && d[i] <= hi) || d[i] != Math.rint(d[i])) {
        throw new CheckpointException(
            file
                + ": "
                + t.name()
                + ": value "
                + d[i]
                + " at flat index "
                + i
                + " is not an integer in ["
                + lo
                + ", "
                + hi
                + "], which "
                + dtype
                + " needs");
      }
    }
  }

  private static void writeData(
      FileChannel ch, ByteBuffer buf, float[] data, SafetensorsDtype dtype) throws IOException {
    int per = buf.capacity() / dtype.byteSize();
    for (int i = 0; i < data.length; i += per) {
      int len = Math.min(per, data.length - i);
      buf.clear();
      if (dtype == SafetensorsDtype.F32) {
        buf.asFloatBuffer().put(data, i, len);
        buf.position(len * 4);
      } else if (dtype == SafetensorsDtype.I8 || dtype == SafetensorsDtype.U8) {
        for (int j = 0; j < len; j++) {
          buf.put((byte) (int) data[i + j]); // checked: an integer in the type's range
        }
      } else {
        for (int j = 0; j < len; j++) {
          buf.putShort(Half.fromFloat(data[i + j]));
        }
      }
      buf.flip();
      writeFully(ch, buf);
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }

  /** A new empty file next to the target, with the default permissions of a new file. */
  private static Path createTemp(Path target) {
    Path dir = target.getParent();
    String base = "." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-";
    IOException last = null;
    for (int attempt = 0; attempt < 10; attempt++) {
      Path tmp = dir.resolve(base + Long.toHexString(System.nanoTime()) + "-" + attempt);
      try {
        return Files.createFile(tmp);
      } catch (FileAlreadyExistsException e) {
        last = e;
      } catch (IOException e) {
        throw new CheckpointException(target + ": cannot write: " + e, e);
      }
    }
    throw new CheckpointException(
        target + ": cannot create a temporary file in " + dir + ": " + last, last);
  }
}
