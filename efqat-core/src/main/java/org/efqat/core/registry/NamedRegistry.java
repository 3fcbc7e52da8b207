package org.efqat.core.registry;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.efqat.api.spi.ComponentNames;
import org.efqat.api.spi.ComponentProvider;

/**
 * Every provider of one kind, by name, loaded with {@link ServiceLoader}. Built-ins register the
 * same way as plugins. A duplicate name fails at load time naming both classes and their jars (no
 * first-wins); an unknown name fails listing the names that exist.
 *
 * @param <P> the provider (service) type
 */
public final class NamedRegistry<P extends ComponentProvider<?, ?>> {
  private final ComponentKind kind;
  private final Map<String, P> byName;

  private NamedRegistry(ComponentKind kind, Map<String, P> byName) {
    this.kind = kind;
    this.byName = Collections.unmodifiableMap(byName);
  }

  /**
   * Loads every provider of a kind visible from a class loader.
   *
   * @param kind the kind
   * @param loader where to look for {@code META-INF/services/<service type>}
   * @return the registry
   * @throws RegistryException on a bad name, a duplicate name or a provider that fails to load
   */
  @SuppressWarnings("unchecked")
  public static <P extends ComponentProvider<?, ?>> NamedRegistry<P> load(
      ComponentKind kind, ClassLoader loader) {
    Map<String, P> byName = new TreeMap<>();
    String servicesFile = "META-INF/services/" + kind.serviceType().getName();
    try {
      for (ComponentProvider<?, ?> provider : ServiceLoader.load(kind.serviceType(), loader)) {
        String name;
        try {
          name = ComponentNames.check(provider.name(), provider.getClass());
        } catch (IllegalArgumentException e) {
          throw new RegistryException(
              e.getMessage()
                  + " ("
                  + kind.label()
                  + " from "
                  + locationOf(provider.getClass())
                  + ")");
        }
        P previous = byName.putIfAbsent(name, (P) provider);
        if (previous != null) {
          throw new RegistryException(
              "duplicate "
                  + kind.label()
                  + " name '"
                  + name
                  + "': "
                  + describe(previous)
                  + " and "
                  + describe(provider)
                  + "; remove one of the jars or rename one provider");
        }
      }
    } catch (ServiceConfigurationError e) {
      throw new RegistryException(
          "cannot load a "
              + kind.label()
              + " listed in "
              + servicesFile
              + ": "
              + e.getMessage()
              + " (is an efqat jar on the class path from another version? "
              + JarVersions.describe(loader)
              + ")",
          e);
    }
    return new NamedRegistry<>(kind, byName);
  }

  /**
   * @return the kind
   */
  public ComponentKind kind() {
    return kind;
  }

  /**
   * @return the registered names, sorted
   */
  public List<String> names() {
    return List.copyOf(byName.keySet());
  }

  /**
   * @return the providers, sorted by name
   */
  public List<P> providers() {
    return List.copyOf(byName.values());
  }

  /**
   * @param name a name as written in YAML
   * @return whether a provider has that name
   */
  public boolean contains(String name) {
    return byName.containsKey(name);
  }

  /**
   * @param name a name as written in YAML
   * @return the provider
   * @throws RegistryException listing the available names if there is none
   */
  public P get(String name) {
    P p = byName.get(name);
    if (p == null) {
      throw new RegistryException(unknownMessage(name));
    }
    return p;
  }

  /**
   * @param name an unknown name
   * @return the message for it: what exists and a hint
   */
  public String unknownMessage(String name) {
    return "unknown "
        + kind.label()
        + " '"
        + name
        + "'; available: "
        + String.join(", ", names())
        + " (a plugin jar providing "
        + kind.serviceType().getSimpleName()
        + " may be missing from the class path)";
  }

  /**
   * @return one {@link ComponentInfo} per provider, sorted by name
   */
  public List<ComponentInfo> infos() {
    List<ComponentInfo> out = new ArrayList<>();
    for (P p : byName.values()) {
      out.add(
          new ComponentInfo(
              kind, p.name(), p.getClass().getName(), locationOf(p.getClass()), p.description()));
    }
    return out;
  }

  private static String describe(ComponentProvider<?, ?> p) {
    return p.getClass().getName() + " (" + locationOf(p.getClass()) + ")";
  }

  /**
   * @param type a class
   * @return the jar or class folder it was loaded from, or {@code "unknown location"}
   */
  public static String locationOf(Class<?> type) {
    CodeSource source = type.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return "unknown location";
    }
    try {
      return Path.of(source.getLocation().toURI()).toString();
    } catch (URISyntaxException | IllegalArgumentException e) {
      return source.getLocation().toString();
    }
  }
}
