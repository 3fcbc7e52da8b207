package org.efqat.core.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Hand-assembles safetensors bytes for tests, independent of {@link SafetensorsWriter}. */
final class StFiles {
  private StFiles() {}

  /**
   * @return the 8 little-endian bytes of {@code n}
   */
  static byte[] le64(long n) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(n).array();
  }

  /**
   * @return little-endian float32 bytes
   */
  static byte[] f32(float... values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return b.array();
  }

  /**
   * @return little-endian float64 bytes
   */
  static byte[] f64(double... values) {
    ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      b.putDouble(v);
    }
    return b.array();
  }

  /**
   * @return little-endian 16-bit words
   */
  static byte[] u16(int... words) {
    ByteBuffer b = ByteBuffer.allocate(2 * words.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int w : words) {
      b.putShort((short) w);
    }
    return b.array();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /**
   * @return header length, the header as UTF-8 (unpadded), then the data
   */
  static byte[] bytes(String header, byte[] data) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    return concat(le64(h.length), h, data);
  }

  /** Writes {@link #bytes} to {@code file}. */
  static Path write(Path file, String header, byte[] data) throws IOException {
    return Files.write(file, bytes(header, data));
  }
}
