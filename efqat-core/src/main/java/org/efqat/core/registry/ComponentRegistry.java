package org.efqat.core.registry;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
   * @return every registered component; entries that cannot be registered are logged as warnings
   *     and kept in {@link #broken()}, so that they break only experiments that need them
   * @throws RegistryException if two providers share a name or one provider class is listed by two
   *     jars
   */
  public static ComponentRegistry load(ClassLoader loader) {
    Objects.requireNonNull(loader, "loader is null");
    List<BrokenEntry> unreadable = ClassPathJars.unreadable(loader);
    Map<ComponentKind, NamedRegistry<?>> map = new EnumMap<>(ComponentKind.class);
    for (ComponentKind kind : ComponentKind.values()) {
      map.put(kind, NamedRegistry.load(kind, loader, unreadable));
    }
    ComponentRegistry registry = new ComponentRegistry(map);
    for (BrokenEntry entry : registry.broken()) {
      LOG.warn("{}", entry);
    }
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
   * @return the entries that could not be registered, by kind, each once (an unreadable jar is
   *     listed once, first)
   */
  public List<BrokenEntry> broken() {
    Set<BrokenEntry> all = new LinkedHashSet<>();
    for (NamedRegistry<?> r : registries.values()) {
      all.addAll(r.broken());
    }
    return List.copyOf(all);
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
