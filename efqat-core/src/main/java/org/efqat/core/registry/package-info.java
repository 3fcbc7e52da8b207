/**
 * Plugin discovery: {@link org.efqat.core.registry.NamedRegistry} loads every provider of one kind
 * with {@link java.util.ServiceLoader}, checks names, fails on duplicates (naming both classes and
 * jars) and on unknown names (listing what exists); {@link
 * org.efqat.core.registry.ComponentRegistry} holds one registry per {@link
 * org.efqat.core.registry.ComponentKind}.
 */
package org.efqat.core.registry;
