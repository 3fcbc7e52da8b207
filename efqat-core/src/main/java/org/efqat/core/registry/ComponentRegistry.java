package org.efqat.core.registry;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.efqat.api.backend.BackendProvider;
import org.efqat.api.freeze.FreezePolicyProvider;
import org.efqat.api.importance.ImportanceMetricProvider;
import org.efqat.api.quant.QuantizerProvider;
import org.efqat.api.spi.ComponentProvider;
import org.efqat.core.data.DatasetProvider;
import org.efqat.core.model.ModelProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One {@link NamedRegistry} per {@link ComponentKind}, loaded from one class loader. */
public final class ComponentRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(ComponentRegistry.class);

  private final Map<ComponentKind, NamedRegistry<?>> registries;

  private ComponentRegistry(Map<ComponentKind, NamedRegistry<?>> registries) {
    this.registries = registries;
  }

  /**
   * @param loader the class loader whose {@code META-INF/services} files list the providers
   * @return every registered component
   * @throws RegistryException if a provider is broken or two share a name
   */
  public static ComponentRegistry load(ClassLoader loader) {
    Objects.requireNonNull(loader, "loader is null");
    Map<ComponentKind, NamedRegistry<?>> map = new EnumMap<>(ComponentKind.class);
    for (ComponentKind kind : ComponentKind.values()) {
      map.put(kind, NamedRegistry.load(kind, loader));
    }
    ComponentRegistry registry = new ComponentRegistry(map);
    for (ComponentInfo info : registry.infos()) {
      LOG.debug(
          "registered {} {} = {} from {}",
          info.kind().label(),
          info.name(),
          info.className(),
          info.location());
    }
    return registry;
  }

  /**
   * @return the registries of this class's own class loader
   */
  public static ComponentRegistry loadDefault() {
    return load(ComponentRegistry.class.getClassLoader());
  }

  /**
   * @param kind a kind
   * @return its registry
   */
  public NamedRegistry<?> of(ComponentKind kind) {
    return registries.get(kind);
  }

  /**
   * @param kind a kind
   * @param <P> its service type
   * @return its registry, typed
   */
  @SuppressWarnings("unchecked")
  public <P extends ComponentProvider<?, ?>> NamedRegistry<P> typed(ComponentKind kind) {
    return (NamedRegistry<P>) registries.get(kind);
  }

  /**
   * @return the quantizers
   */
  public NamedRegistry<QuantizerProvider<?>> quantizers() {
    return typed(ComponentKind.QUANTIZER);
  }

  /**
   * @return the importance metrics
   */
  public NamedRegistry<ImportanceMetricProvider<?>> importanceMetrics() {
    return typed(ComponentKind.IMPORTANCE);
  }

  /**
   * @return the freeze policies
   */
  public NamedRegistry<FreezePolicyProvider<?>> freezePolicies() {
    return typed(ComponentKind.FREEZE_POLICY);
  }

  /**
   * @return the backends
   */
  public NamedRegistry<BackendProvider<?>> backends() {
    return typed(ComponentKind.BACKEND);
  }

  /**
   * @return the model architectures
   */
  public NamedRegistry<ModelProvider<?>> models() {
    return typed(ComponentKind.MODEL);
  }

  /**
   * @return the datasets
   */
  public NamedRegistry<DatasetProvider<?>> datasets() {
    return typed(ComponentKind.DATASET);
  }

  /**
   * @return every component of every kind, by kind and then name
   */
  public List<ComponentInfo> infos() {
    List<ComponentInfo> all = new ArrayList<>();
    for (NamedRegistry<?> r : registries.values()) {
      all.addAll(r.infos());
    }
    return all;
  }
}
