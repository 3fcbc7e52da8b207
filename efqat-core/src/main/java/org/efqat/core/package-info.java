/**
 * The EfQAT engine. Sub-packages: {@link org.efqat.core.registry} (plugin discovery), {@link
 * org.efqat.core.config} (experiment files), {@link org.efqat.core.inject} (Guice wiring) and the
 * built-in components in {@link org.efqat.core.importance}, {@link org.efqat.core.freeze} and
 * {@link org.efqat.core.quant}.
 */
package org.efqat.core;
