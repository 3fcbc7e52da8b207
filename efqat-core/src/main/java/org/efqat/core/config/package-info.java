/**
 * Experiment files: a versioned YAML schema read with Jackson into immutable records ({@link
 * org.efqat.core.config.ExperimentConfig}), then resolved against the {@link
 * org.efqat.core.registry.ComponentRegistry}: every {@code type:} names a provider and the
 * section's other keys bind to that provider's config record. Every error names the file, the line
 * and the YAML path, for example {@code quick.yaml:14: efqat.freeze.p must be in [0, 1] (was 1.5)}.
 */
package org.efqat.core.config;
