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

/**
 * Writes safetensors files that the reference implementation (and so PyTorch's {@code
 * safetensors.torch.load_file}) reads: an unsigned 64-bit little-endian header length {@code N},
 * the compact JSON header ({@code __metadata__} first when there is metadata, then every tensor as
 * {@code {"dtype":..,"shape":[..],"data_offsets":[begin,end]}}) padded with spaces to a multiple of
 * 8 bytes as the reference does, then the little-endian data with no gaps.
 *
 * <p>Tensors are written in the order of the given map (the reference sorts by dtype and name
 * instead; readers do not care). Every tensor gets the one {@code dtype} asked for: {@link
 * SafetensorsDtype#F32} (exact) or {@link SafetensorsDtype#F16} (round to nearest, ties to even; a
 * finite value that would overflow to infinity, magnitude {@code >= 65520}, is an error rather than
 * a silent {@code inf}).
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
    Objects.requireNonNull(file, "file is null");
    Objects.requireNonNull(tensors, "tensors is null");
    Objects.requireNonNull(metadata, "metadata is null");
    Objects.requireNonNull(dtype, "dtype is null");
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
          writeData(ch, buf, t.data(), dtype);
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
   * @param dtype the dtype written for every tensor
   * @return header bytes, length a multiple of 8
   */
  static byte[] header(
      Path file,
      Map<String, NamedTensor> tensors,
      Map<String, String> metadata,
      SafetensorsDtype dtype) {
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
        long bytes = (long) t.numel() * dtype.byteSize();
        g.writeObjectFieldStart(t.name());
        g.writeStringField("dtype", dtype.name());
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
      Path file, Map<String, NamedTensor> tensors, SafetensorsDtype dtype) {
    if (!dtype.writable()) {
      throw new CheckpointException(
          file + ": cannot write dtype " + dtype + " (F32 and F16 can be written)");
    }
    for (Map.Entry<String, NamedTensor> e : tensors.entrySet()) {
      NamedTensor t = Objects.requireNonNull(e.getValue(), "tensor " + e.getKey() + " is null");
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
