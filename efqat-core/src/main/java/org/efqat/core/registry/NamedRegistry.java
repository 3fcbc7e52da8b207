package org.efqat.core.registry;

import java.lang.reflect.InvocationTargetException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.efqat.api.spi.ComponentNames;
import org.efqat.api.spi.ComponentProvider;

/**
 * Every provider of one kind, by name, loaded with {@link ServiceLoader}. Built-ins register the
 * same way as plugins. A duplicate name, or one provider class listed by two jars, fails at load
 * time naming both (no first-wins). An entry that cannot be registered (a missing class, one that
 * does not implement the service or whose constructor throws, an unreadable jar) is kept in {@link
 * #broken()} instead of failing the load, so that it breaks only what needs it: an unknown name
 * fails listing the names that exist and the broken entries that may have provided it.
 *
 * @param <P> the provider (service) type
 */
public final class NamedRegistry<P extends ComponentProvider<?, ?>> {
  private final ComponentKind kind;
  private final Map<String, P> byName;
  private final List<BrokenEntry> broken;

  private NamedRegistry(ComponentKind kind, Map<String, P> byName, List<BrokenEntry> broken) {
    this.kind = kind;
    this.byName = Collections.unmodifiableMap(byName);
    this.broken = List.copyOf(broken);
  }

  /**
   * Loads every provider of a kind visible from a class loader.
   *
   * @param kind the kind
   * @param loader where to look for {@code META-INF/services/<service type>}
   * @return the registry; entries that cannot be registered are in {@link #broken()}
   * @throws RegistryException on a duplicate: two providers with one name, or one provider class
   *     listed by two jars (the same plugin twice, or two versions of it)
   */
  public static <P extends ComponentProvider<?, ?>> NamedRegistry<P> load(
      ComponentKind kind, ClassLoader loader) {
    return load(kind, loader, ClassPathJars.unreadable(loader));
  }

  /**
   * Reads the {@code META-INF/services} files itself (the format {@link java.util.ServiceLoader}
   * reads) rather than through {@code ServiceLoader}, which drops a second listing of the same
   * class and stops at a broken entry without naming its jar.
   *
   * @param kind the kind
   * @param loader where to look for {@code META-INF/services/<service type>}
   * @param unreadable class path jars that cannot be read, reported with this kind's broken entries
   * @return the registry
   */
  @SuppressWarnings("unchecked")
  static <P extends ComponentProvider<?, ?>> NamedRegistry<P> load(
      ComponentKind kind, ClassLoader loader, List<BrokenEntry> unreadable) {
    Map<String, P> byName = new TreeMap<>();
    List<BrokenEntry> broken = new ArrayList<>(unreadable);
    Map<String, List<String>> listedBy = ServicesFiles.read(kind, loader, broken);
    for (Map.Entry<String, List<String>> e : listedBy.entrySet()) {
      List<String> where = e.getValue();
      if (where.size() > 1) {
        throw new RegistryException(
            "duplicate "
                + kind.label()
                + " provider "
                + e.getKey()
                + ": listed by both "
                + where.get(0)
                + " and "
                + where.get(1)
                + " (the same plugin is on the class path twice, or two versions of it);"
                + " remove one");
      }
    }
    for (Map.Entry<String, List<String>> e : listedBy.entrySet()) {
      String className = e.getKey();
      String location = e.getValue().get(0);
      ComponentProvider<?, ?> provider;
      String name;
      try {
        provider = instantiate(kind, className, loader);
        name = ComponentNames.check(provider.name(), provider.getClass());
      } catch (BrokenException b) {
        broken.add(new BrokenEntry(kind, location, className, b.getMessage()));
        continue;
      } catch (IllegalArgumentException b) {
        broken.add(new BrokenEntry(kind, location, className, b.getMessage()));
        continue;
      } catch (RuntimeException b) {
        broken.add(new BrokenEntry(kind, location, className, "name() " + thrown(b)));
        continue;
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
    return new NamedRegistry<>(kind, byName, broken);
  }

  /** Loads, checks and constructs one listed class, as ServiceLoader would. */
  private static ComponentProvider<?, ?> instantiate(
      ComponentKind kind, String className, ClassLoader loader) throws BrokenException {
    Class<?> type;
    try {
      type = Class.forName(className, false, loader);
    } catch (ClassNotFoundException e) {
      throw new BrokenException(
          "the class does not exist (not in that jar, nor on the class path)");
    } catch (LinkageError e) {
      throw new BrokenException(linkage(e, loader));
    }
    if (!kind.serviceType().isAssignableFrom(type)) {
      throw new BrokenException("the class does not implement " + kind.serviceType().getName());
    }
    try {
      return (ComponentProvider<?, ?>) type.getConstructor().newInstance();
    } catch (NoSuchMethodException e) {
      throw new BrokenException("the class has no public no-argument constructor");
    } catch (InstantiationException e) {
      throw new BrokenException("the class is abstract");
    } catch (IllegalAccessException e) {
      throw new BrokenException("the class or its constructor is not public");
    } catch (InvocationTargetException e) {
      throw new BrokenException("its constructor " + thrown(e.getCause()));
    } catch (ExceptionInInitializerError e) {
      throw new BrokenException("its static initializer " + thrown(e.getCause()));
    } catch (LinkageError e) {
      throw new BrokenException(linkage(e, loader));
    }
  }

  private static String thrown(Throwable t) {
    if (t == null) {
      return "failed";
    }
    return "throws "
        + t.getClass().getSimpleName()
        + (t.getMessage() == null ? "" : ": " + firstLine(t.getMessage()));
  }

  private static String linkage(LinkageError e, ClassLoader loader) {
    return "the class cannot be loaded ("
        + e.getClass().getSimpleName()
        + ": "
        + firstLine(String.valueOf(e.getMessage()))
        + "); is an efqat jar on the class path from another version? "
        + JarVersions.describe(loader);
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** Why one listed provider cannot be registered. */
  private static final class BrokenException extends Exception {
    private static final long serialVersionUID = 1L;

    BrokenException(String message) {
      super(message);
    }
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
        + " may be missing from the class path)"
        + brokenHint();
  }

  /**
   * @return the entries of this kind that could not be registered (and unreadable class path jars)
   */
  public List<BrokenEntry> broken() {
    return broken;
  }

  /**
   * @return {@code ""}, or {@code "; "} and the broken entries that may have provided a missing
   *     name, to append to a message about an unknown name
   */
  public String brokenHint() {
    if (broken.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder("; it may be a broken plugin entry: ");
    for (int i = 0; i < broken.size(); i++) {
      sb.append(i == 0 ? "" : "; ").append(broken.get(i));
    }
    return sb.toString();
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
