package org.efqat.core.registry;

import org.efqat.api.backend.BackendProvider;
import org.efqat.api.freeze.FreezePolicyProvider;
import org.efqat.api.importance.ImportanceMetricProvider;
import org.efqat.api.quant.QuantizerProvider;
import org.efqat.api.spi.ComponentProvider;

/** The plugin kinds and their {@link java.util.ServiceLoader} service types. */
public enum ComponentKind {
  /** Fake quantizers. */
  QUANTIZER("quantizer", QuantizerProvider.class),
  /** Row importance metrics. */
  IMPORTANCE("importance", ImportanceMetricProvider.class),
  /** Freeze policies. */
  FREEZE_POLICY("freeze-policy", FreezePolicyProvider.class),
  /** Compute backends. */
  BACKEND("backend", BackendProvider.class);

  private final String label;
  private final Class<? extends ComponentProvider<?, ?>> serviceType;

  @SuppressWarnings({"unchecked", "rawtypes"})
  ComponentKind(String label, Class<? extends ComponentProvider> serviceType) {
    this.label = label;
    this.serviceType = (Class<? extends ComponentProvider<?, ?>>) (Class) serviceType;
  }

  /** @return the kind as printed, for example {@code "freeze-policy"} */
  public String label() {
    return label;
  }

  /** @return the interface named in {@code META-INF/services} */
  public Class<? extends ComponentProvider<?, ?>> serviceType() {
    return serviceType;
  }
}
