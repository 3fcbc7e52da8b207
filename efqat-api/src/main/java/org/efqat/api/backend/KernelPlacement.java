package org.efqat.api.backend;

import java.util.Locale;
import org.efqat.api.spi.ConfigValueException;

/**
 * Where a backend runs the kernels it can run either way (YAML {@code backend: {type: ..., kernels:
 * auto}}): as loops over host memory, or as the backend's own operations on tensors that stay where
 * the backend keeps them (on a GPU: in device memory, with no host round trip in a training step;
 * issue 13, item 3).
 */
public enum KernelPlacement {
  /** {@link #DEVICE} when the backend runs on an accelerator, {@link #HOST} otherwise. */
  AUTO,
  /** Loops over host buffers: the fastest on CPU builds. */
  HOST,
  /**
   * The backend's own operations; on a CPU build, how the accelerator's kernels are checked without
   * one.
   */
  DEVICE;

  /**
   * @param value {@code auto}, {@code host} or {@code device} (any case), or {@code null} for
   *     {@code auto}
   * @return the placement
   * @throws ConfigValueException for the key {@code kernels} on any other value
   */
  public static KernelPlacement parse(String value) {
    if (value == null) {
      return AUTO;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "auto" -> AUTO;
      case "host" -> HOST;
      case "device" -> DEVICE;
      default ->
          throw new ConfigValueException(
              "kernels", "must be auto, host or device (was '" + value + "')");
    };
  }

  /**
   * @param accelerator whether the backend runs on an accelerator (a CUDA build, a GPU TensorFlow
   *     lists)
   * @return whether the kernels run as the backend's own operations
   */
  public boolean onDevice(boolean accelerator) {
    return this == DEVICE || (this == AUTO && accelerator);
  }

  /**
   * @return the YAML spelling, lower case
   */
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
