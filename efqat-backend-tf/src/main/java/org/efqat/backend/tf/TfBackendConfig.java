package org.efqat.backend.tf;

import org.efqat.api.backend.KernelPlacement;

/**
 * Options of the {@code tf} backend: {@code backend: {type: tf, kernels: auto}}.
 *
 * @param kernels where tensors live between kernel calls and where the kernels that can run either
 *     way run ({@link KernelPlacement}): {@code host} (tensors are native host buffers fed to each
 *     session run; the fake-quantization backward pass, the row scatter-add and the parameter
 *     kernels are Java passes over those buffers, the fastest on a CPU), {@code device} (tensors
 *     stay in the session as persistent tensors that kernels read by handle, and every kernel is a
 *     graph operation, {@link TfDeviceKernels}: no host round trip on a GPU; on a CPU, how those
 *     kernels are checked without one) or {@code auto} (the default: {@code device} when TensorFlow
 *     lists a GPU, {@code host} otherwise)
 */
public record TfBackendConfig(String kernels) {
  /** Validates and applies the default. */
  public TfBackendConfig {
    kernels = KernelPlacement.parse(kernels).yamlName();
  }

  /** The defaults. */
  public TfBackendConfig() {
    this(null);
  }

  /**
   * @param gpu whether TensorFlow lists a GPU
   * @return whether tensors stay in the session and every kernel is a graph operation
   */
  boolean deviceKernels(boolean gpu) {
    return KernelPlacement.parse(kernels).onDevice(gpu);
  }
}
