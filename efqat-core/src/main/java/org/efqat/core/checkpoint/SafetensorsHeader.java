package org.efqat.core.checkpoint;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The validated header of a safetensors file: its entries in header order and its {@code
 * __metadata__}. Read it alone with {@link SafetensorsReader#readHeader} to list a file's tensors
 * without loading them.
 *
 * @param entries the tensors in the order of the header's JSON object, unmodifiable
 * @param metadata the {@code __metadata__} string map in header order, empty when absent,
 *     unmodifiable
 * @param dataStart byte offset in the file where the data section begins ({@code 8 + N})
 */
public record SafetensorsHeader(List<Entry> entries, Map<String, String> metadata, long dataStart) {
  /** Makes the collections unmodifiable. */
  public SafetensorsHeader {
    entries = List.copyOf(entries);
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  /**
   * One tensor of the header.
   *
   * @param name the tensor's name
   * @param dtype the header's dtype string, for example {@code F16} or {@code I64}, which may be
   *     one this package does not convert (see {@link SafetensorsDtype#fromHeaderName})
   * @param shape the dimensions
   * @param begin first byte, relative to the start of the data section
   * @param end one past the last byte, relative to the start of the data section
   */
  public record Entry(String name, String dtype, long[] shape, long begin, long end) {
    /** Checks for nulls. */
    public Entry {
      Objects.requireNonNull(name, "name is null");
      Objects.requireNonNull(dtype, "dtype is null");
      Objects.requireNonNull(shape, "shape is null");
    }

    /**
     * @return {@code end - begin}
     */
    public long byteLength() {
      return end - begin;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Entry e
          && name.equals(e.name)
          && dtype.equals(e.dtype)
          && Arrays.equals(shape, e.shape)
          && begin == e.begin
          && end == e.end;
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
    }

    @Override
    public String toString() {
      return name + " " + dtype + " " + Arrays.toString(shape) + " [" + begin + ", " + end + "]";
    }
  }
}
