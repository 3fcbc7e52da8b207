/**
 * {@code efqat bench}: training-step timings of a model for several unfrozen fractions, policies
 * and backends, side by side in one process.
 */
package org.efqat.experiments.bench;
