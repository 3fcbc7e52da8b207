/**
 * The provider contract shared by every plugin kind: a {@link org.efqat.api.spi.ComponentProvider}
 * has a lower-kebab-case name, a config record bound from YAML, and creates the component with a
 * {@link org.efqat.api.spi.ComponentContext} (seeded randomness). Providers are cheap, stateless
 * and do no I/O or native loading until {@code create}.
 */
package org.efqat.api.spi;
