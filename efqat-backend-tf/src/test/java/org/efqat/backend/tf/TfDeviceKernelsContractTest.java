package org.efqat.backend.tf;

import org.efqat.api.backend.Backend;
import org.efqat.testkit.BackendContractTest;

/**
 * The backend contract with {@code kernels: device}, the placement TensorFlow's GPU build uses:
 * tensors stay in the session between kernel calls (read and stored by handle) and every kernel is
 * a graph operation ({@link TfDeviceKernels}), run here on the CPU build, so they are checked on a
 * machine without a GPU.
 */
class TfDeviceKernelsContractTest extends BackendContractTest {
  @Override
  protected Backend createBackend() {
    return new TfBackend(true);
  }
}
