package org.efqat.core.checkpoint;

import java.util.Optional;

/**
 * The element types this package converts, named as in the safetensors header: the floating-point
 * types and the 8-bit integers (which the reader converts to FP32 exactly, and which the writer
 * takes from FP32 values that must be integers in range; {@code efqat export} stores quantized
 * weights as {@code I8}). The format also has wider integer, bool and 8-bit float types ({@code
 * I64}, {@code BOOL}, {@code F8_E4M3}, ...); the reader rejects those unless the tensor is skipped.
 */
public enum SafetensorsDtype {
  /** IEEE 754 binary16: 1 sign, 5 exponent, 10 mantissa bits. Readable and writable. */
  F16(2, true),
  /** bfloat16: the upper 16 bits of a binary32. Readable. */
  BF16(2, false),
  /** IEEE 754 binary32. Readable and writable. */
  F32(4, true),
  /** IEEE 754 binary64, rounded to the nearest float when read. Readable. */
  F64(8, false),
  /** Signed 8-bit integer, {@code [-128, 127]}. Readable and writable. */
  I8(1, true),
  /** Unsigned 8-bit integer, {@code [0, 255]}. Readable and writable. */
  U8(1, true);

  private final int byteSize;
  private final boolean writable;

  SafetensorsDtype(int byteSize, boolean writable) {
    this.byteSize = byteSize;
    this.writable = writable;
  }

  /**
   * @return bytes per element
   */
  public int byteSize() {
    return byteSize;
  }

  /**
   * @return whether {@link SafetensorsWriter} can write this type
   */
  public boolean writable() {
    return writable;
  }

  /**
   * @param headerName the {@code dtype} string of a header entry, for example {@code "F16"}
   * @return the type, empty when this package does not convert it
   */
  public static Optional<SafetensorsDtype> fromHeaderName(String headerName) {
    for (SafetensorsDtype t : values()) {
      if (t.name().equals(headerName)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
