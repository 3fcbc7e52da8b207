package org.efqat.backend.nd4j;

import org.efqat.api.backend.KernelPlacement;

/**
 * Options of the {@code nd4j} backend: {@code backend: {type: nd4j, kernels: auto}}.
 *
 * @param kernels where the window, fake-quantization, per-channel and parameter kernels run ({@link
 *     KernelPlacement}): {@code host} (Java loops over the arrays' host buffers, the fastest on the
 *     CPU builds), {@code device} (ND4J operations, {@link DeviceOpKernels} and {@link
 *     DeviceParameterKernels}: no host round trip on CUDA; on a CPU build, how the CUDA build's
 *     kernels are checked without a GPU) or {@code auto} (the default: {@code device} on the CUDA
 *     build, {@code host} otherwise)
 */
public record Nd4jBackendConfig(String kernels) {
  /** The default: {@code device} on CUDA, {@code host} on the CPU builds. */
  public static final String AUTO = "auto";

  /** Java loops over host buffers. */
  public static final String HOST = "host";

  /** ND4J operations. */
  public static final String DEVICE = "device";

  /** Validates and applies the default. */
  public Nd4jBackendConfig {
    kernels = KernelPlacement.parse(kernels).yamlName();
  }

  /** The defaults. */
  public Nd4jBackendConfig() {
    this(null);
  }

  /**
   * @param cuda whether ND4J runs its CUDA build
   * @return whether the kernels run as ND4J operations
   */
  boolean deviceOps(boolean cuda) {
    return KernelPlacement.parse(kernels).onDevice(cuda);
  }
}
