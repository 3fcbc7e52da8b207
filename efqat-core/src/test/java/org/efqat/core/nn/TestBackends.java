package org.efqat.core.nn;

import java.util.List;
import java.util.function.Supplier;
import org.efqat.api.backend.Backend;
import org.efqat.api.spi.ComponentContext;
import org.efqat.api.spi.NoOptions;
import org.efqat.backend.nd4j.Nd4jBackendProvider;
import org.efqat.backend.tf.TfBackendProvider;

/** The backend core's layer tests run on. */
public final class TestBackends {
  private TestBackends() {}

  /**
   * @return a new ND4J backend
   */
  public static Backend nd4j() {
    return new Nd4jBackendProvider().create(new NoOptions(), ComponentContext.ofSeed(0));
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
    return List.of(TestBackends::nd4j, TestBackends::tf);
  }
}
