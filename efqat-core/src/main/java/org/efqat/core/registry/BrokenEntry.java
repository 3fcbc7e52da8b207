package org.efqat.core.registry;

/**
 * A plugin entry that could not be registered: a {@code META-INF/services} line naming a class that
 * does not exist, does not implement the service, or fails to construct, or a class path jar that
 * cannot be read. It breaks only what needs it: an experiment that names a component of its kind
 * which is not registered is told about it, and {@code efqat list-components} lists it.
 *
 * @param kind the kind whose services file lists the entry; {@code null} for an unreadable jar,
 *     which could have provided any kind
 * @param location the jar or class folder
 * @param entry the provider class as listed, or {@code ""} for an unreadable jar
 * @param problem what is wrong, in words
 */
public record BrokenEntry(ComponentKind kind, String location, String entry, String problem) {
  /**
   * @return one line naming the kind, the entry, the jar and the problem
   */
  @Override
  public String toString() {
    if (kind == null) {
      return location + ": " + problem;
    }
    return "broken "
        + kind.label()
        + " entry "
        + entry
        + " (listed in "
        + location
        + ", META-INF/services/"
        + kind.serviceType().getName()
        + "): "
        + problem;
  }
}
