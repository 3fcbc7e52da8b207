package org.efqat.core.nn;

import java.util.List;
import java.util.function.Supplier;
import org.efqat.api.backend.Backend;
import org.efqat.api.spi.ComponentContext;
import org.efqat.backend.nd4j.Nd4jBackendConfig;
import org.efqat.backend.nd4j.Nd4jBackendProvider;
import org.efqat.backend.tf.TfBackendConfig;
import org.efqat.backend.tf.TfBackendProvider;

/** The backend core's layer tests run on. */
public final class TestBackends {
  private TestBackends() {}

  /**
   * @return a new ND4J backend
   */
  public static Backend nd4j() {
    return new Nd4jBackendProvider().create(new Nd4jBackendConfig(), ComponentContext.ofSeed(0));
  }

  /**
   * @return a new ND4J backend whose kernels are all ND4J operations, as on its CUDA build ({@code
   *     kernels: device}), here on the CPU build
   */
  public static Backend nd4jDeviceOps() {
    return new Nd4jBackendProvider()
        .create(new Nd4jBackendConfig(Nd4jBackendConfig.DEVICE), ComponentContext.ofSeed(0));
  }

  /**
   * @return a new TensorFlow backend
   */
  public static Backend tf() {
    return new TfBackendProvider().create(new TfBackendConfig(), ComponentContext.ofSeed(0));
  }

  /**
   * @return a new TensorFlow backend whose tensors stay in the session and whose kernels are all
   *     graph operations, as on its GPU build ({@code kernels: device}), here on the CPU
   */
  public static Backend tfDeviceKernels() {
    return new TfBackendProvider()
        .create(new TfBackendConfig("device"), ComponentContext.ofSeed(0));
  }

  /**
   * @return a factory per backend, for tests that run on each
   */
  public static List<Supplier<Backend>> all() {
    return List.of(
        TestBackends::nd4j,
        TestBackends::nd4jDeviceOps,
        TestBackends::tf,
        TestBackends::tfDeviceKernels);
  }

  /**
   * @param name {@code nd4j}, {@code nd4j-device-ops}, {@code tf} or {@code tf-device-kernels}
   * @return a new backend of that name
   */
  public static Backend byName(String name) {
    return switch (name) {
      case "nd4j" -> nd4j();
      case "nd4j-device-ops" -> nd4jDeviceOps();
      case "tf" -> tf();
      case "tf-device-kernels" -> tfDeviceKernels();
      default -> throw new IllegalArgumentException("no test backend named " + name);
    };
  }
}
