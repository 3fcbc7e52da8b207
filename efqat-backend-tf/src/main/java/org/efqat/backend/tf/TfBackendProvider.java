package org.efqat.backend.tf;

import org.efqat.api.backend.Availability;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.BackendProvider;
import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;

/** Registers {@link TfBackend} as {@code tf}. Loads no native code until probed or used. */
public final class TfBackendProvider extends AbstractComponentProvider<Backend, TfBackendConfig>
    implements BackendProvider<TfBackendConfig> {
  /** Registers the backend. */
  public TfBackendProvider() {
    super(
        TfBackend.NAME,
        TfBackendConfig.class,
        "TensorFlow Java 1.1.0 graph mode (one session, kernels built once per shape);"
            + " kernels: auto | host | device (tensors kept in the session)");
  }

  @Override
  public Availability probe() {
    try {
      return Availability.available("TensorFlow " + org.tensorflow.TensorFlow.version());
    } catch (RuntimeException | LinkageError e) {
      return Availability.unavailable("TensorFlow native library failed to load: " + e);
    }
  }

  @Override
  public Backend create(TfBackendConfig config, ComponentContext context) {
    return TfBackend.create(config);
  }
}
