package org.efqat.core.inject;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.MapBinder;
import org.efqat.api.backend.BackendProvider;
import org.efqat.api.freeze.FreezePolicyProvider;
import org.efqat.api.importance.ImportanceMetricProvider;
import org.efqat.api.quant.QuantizerProvider;
import org.efqat.api.spi.ComponentProvider;
import org.efqat.core.registry.ComponentRegistry;
import org.efqat.core.registry.NamedRegistry;

/**
 * Binds the {@link ComponentRegistry} and one {@code Map<String, XProvider<?>>} per plugin kind,
 * keyed by component name.
 */
public final class PluginModule extends AbstractModule {
  private final ComponentRegistry registry;

  /** @param registry the discovered components */
  public PluginModule(ComponentRegistry registry) {
    this.registry = requireNonNull(registry, "registry is null");
  }

  @Override
  protected void configure() {
    bind(ComponentRegistry.class).toInstance(registry);
    bindAll(new TypeLiteral<QuantizerProvider<?>>() {}, registry.quantizers());
    bindAll(new TypeLiteral<ImportanceMetricProvider<?>>() {}, registry.importanceMetrics());
    bindAll(new TypeLiteral<FreezePolicyProvider<?>>() {}, registry.freezePolicies());
    bindAll(new TypeLiteral<BackendProvider<?>>() {}, registry.backends());
  }

  private <P extends ComponentProvider<?, ?>> void bindAll(
      TypeLiteral<P> type, NamedRegistry<P> providers) {
    MapBinder<String, P> map = MapBinder.newMapBinder(binder(), TypeLiteral.get(String.class), type);
    for (P p : providers.providers()) {
      map.addBinding(p.name()).toInstance(p);
    }
  }
}
