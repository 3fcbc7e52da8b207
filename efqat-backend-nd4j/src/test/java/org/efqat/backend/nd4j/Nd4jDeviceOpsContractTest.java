package org.efqat.backend.nd4j;

import org.efqat.api.backend.Backend;
import org.efqat.testkit.BackendContractTest;

/**
 * The backend contract on the kernels the CUDA build uses ({@link DeviceOpKernels}, {@link
 * DeviceParameterKernels}: activation fake quantization, pooling, per-channel and parameter kernels
 * as ND4J operations instead of Java loops over host buffers), run here on the CPU build, so they
 * are checked on a machine without a GPU.
 */
class Nd4jDeviceOpsContractTest extends BackendContractTest {
  @Override
  protected Backend createBackend() {
    return new Nd4jBackend(true);
  }
}
