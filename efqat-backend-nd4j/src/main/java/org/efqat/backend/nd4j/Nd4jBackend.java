package org.efqat.backend.nd4j;

import java.util.EnumSet;
import java.util.Set;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.BackendCapability;
import org.efqat.api.backend.TensorOps;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * The ND4J backend: FP32 kernels on ND4J's native build. On libnd4j's oneDNN build (JavaCPP
 * platform extension {@code -onednn}, which the {@code efqat} launcher selects) it declares {@link
 * BackendCapability#DIRECT_CONVOLUTION} and convolves with oneDNN ({@link Nd4jConvolution}); on the
 * generic and AVX-512 builds it convolves through im2col and GEMM, which is faster there. On the
 * CUDA build (Maven profile {@code gpu}) it declares direct convolution too, so the convolutions
 * run as libnd4j's CUDA/cuDNN operations instead of the host-side im2col (not run on a GPU yet).
 */
public final class Nd4jBackend implements Backend {
  /** The name YAML uses: {@code backend: nd4j}. */
  public static final String NAME = "nd4j";

  private final TensorOps ops;
  private final boolean oneDnn;
  private final boolean cuda;
  private final boolean deviceOps;

  /**
   * Loads ND4J's native library if it is not loaded yet.
   *
   * @param deviceOps run the window, fake-quantization, per-channel and parameter kernels as ND4J
   *     operations ({@link DeviceOpKernels}, {@link DeviceParameterKernels}; {@link
   *     Nd4jBackendConfig#kernels()})
   */
  Nd4jBackend(boolean deviceOps) {
    Nd4j.getBackend();
    this.oneDnn = hasOneDnn();
    this.cuda = isCuda();
    this.deviceOps = deviceOps;
    this.ops = new Nd4jTensorOps(this, deviceOps);
  }

  /**
   * @return whether ND4J runs on its CUDA build
   */
  static boolean isCuda() {
    return Nd4j.getBackend()
        .getClass()
        .getSimpleName()
        .toLowerCase(java.util.Locale.ROOT)
        .contains("cublas");
  }

  /**
   * @return whether the loaded libnd4j was built with oneDNN and may use it
   */
  static boolean hasOneDnn() {
    String build = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
    return build != null && build.contains("HAVE_ONEDNN") && Nd4j.getEnvironment().helpersAllowed();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String version() {
    return Nd4jBackendProvider.nd4jVersion();
  }

  @Override
  public String device() {
    String impl = Nd4j.getBackend().getClass().getSimpleName(); // CpuBackend or JCublasBackend
    if (cuda) {
      return "cuda ("
          + impl
          + ", "
          + Nd4j.getAffinityManager().getNumberOfDevices()
          + " devices"
          + (deviceOps ? "" : ", kernels as host loops")
          + ")";
    }
    return "cpu ("
        + impl
        + (oneDnn ? ", oneDNN" : "")
        + ", "
        + Runtime.getRuntime().availableProcessors()
        + " cores"
        + (deviceOps ? ", kernels as ND4J ops" : "")
        + ")";
  }

  @Override
  public Set<BackendCapability> capabilities() {
    return oneDnn || cuda
        ? EnumSet.of(BackendCapability.DIRECT_CONVOLUTION)
        : EnumSet.noneOf(BackendCapability.class);
  }

  @Override
  public TensorOps ops() {
    return ops;
  }

  @Override
  public void close() {
    // Tensors are released by their own close() or by ND4J's garbage-collector-driven
    // deallocator; ND4J keeps no per-backend-instance native state to free here.
  }
}
