package org.efqat.core.nn;

import java.util.List;
import java.util.function.Supplier;
import org.efqat.api.backend.Backend;
import org.efqat.api.spi.ComponentContext;
import org.efqat.api.spi.NoOptions;
import org.efqat.backend.nd4j.Nd4jBackendConfig;
import org.efqat.backend.nd4j.Nd4jBackendProvider;
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
    return new TfBackendProvider().create(new NoOptions(), ComponentContext.ofSeed(0));
  }

  /**
   * @return a factory per backend, for tests that run on each
   */
  public static List<Supplier<Backend>> all() {
    return List.of(TestBackends::nd4j, TestBackends::nd4jDeviceOps, TestBackends::tf);
  }

  /**
   * @param name {@code nd4j}, {@code nd4j-device-ops} or {@code tf}
   * @return a new backend of that name
   */
  public static Backend byName(String name) {
    return switch (name) {
      case "nd4j" -> nd4j();
      case "nd4j-device-ops" -> nd4jDeviceOps();
      case "tf" -> tf();
      default -> throw new IllegalArgumentException("no test backend named " + name);
    };
  }
}
