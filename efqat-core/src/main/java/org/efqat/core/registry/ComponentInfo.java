package org.efqat.core.registry;

/**
 * One registered component, as {@code efqat list-components} prints it.
 *
 * @param kind its kind
 * @param name the name YAML uses in {@code type:}
 * @param className the provider's class
 * @param location the jar (or class folder) the provider was loaded from
 * @param description one line
 */
public record ComponentInfo(
    ComponentKind kind, String name, String className, String location, String description) {}
