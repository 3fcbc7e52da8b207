/**
 * Guice wiring: {@link org.efqat.core.inject.PluginModule} exposes every registered provider as a
 * {@code MapBinder} by name; {@link org.efqat.core.inject.ExperimentModule} binds the components a
 * validated experiment chose.
 */
package org.efqat.core.inject;
