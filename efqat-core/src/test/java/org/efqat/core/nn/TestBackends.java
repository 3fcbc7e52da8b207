package org.efqat.core.nn;

import org.efqat.api.backend.Backend;
import org.efqat.api.spi.ComponentContext;
import org.efqat.api.spi.NoOptions;
import org.efqat.backend.nd4j.Nd4jBackendProvider;

/** The backend core's layer tests run on. */
public final class TestBackends {
  private TestBackends() {}

  /**
   * @return a new ND4J backend
   */
  public static Backend nd4j() {
    return new Nd4jBackendProvider().create(new NoOptions(), ComponentContext.ofSeed(0));
  }
}
