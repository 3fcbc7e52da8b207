package org.efqat.backend.nd4j;

import org.efqat.api.backend.Availability;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.BackendProvider;
import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;

/** Registers {@link Nd4jBackend} as {@code nd4j}. Loads no native code until probed or used. */
public final class Nd4jBackendProvider extends AbstractComponentProvider<Backend, Nd4jBackendConfig>
    implements BackendProvider<Nd4jBackendConfig> {
  /** Registers the backend (reads ND4J's jar version; loads no native code). */
  public Nd4jBackendProvider() {
    super(
        Nd4jBackend.NAME,
        Nd4jBackendConfig.class,
        "ND4J " + nd4jVersion() + " native CPU (OpenBLAS)");
  }

  @Override
  public Availability probe() {
    try {
      org.nd4j.linalg.factory.Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1).close();
      return Availability.available(
          "ND4J "
              + nd4jVersion()
              + " "
              + org.nd4j.linalg.factory.Nd4j.getBackend().getClass().getSimpleName());
    } catch (RuntimeException | LinkageError e) {
      return Availability.unavailable("ND4J native library failed to load: " + e);
    }
  }

  @Override
  public Backend create(Nd4jBackendConfig config, ComponentContext context) {
    return new Nd4jBackend(config.deviceOps(Nd4jBackend.isCuda()));
  }

  static String nd4jVersion() {
    String v = org.nd4j.linalg.factory.Nd4j.class.getPackage().getImplementationVersion();
    return v == null ? "1.0.0-M2.1" : v;
  }
}
