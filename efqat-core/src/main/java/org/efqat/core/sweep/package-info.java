/**
 * Sweeps (issue "Studies"): an experiment file's {@code sweep:} section expanded into points
 * ({@link org.efqat.core.sweep.SweepPlan}), run with shared stages, resumable, with a table kept
 * current ({@link org.efqat.core.sweep.SweepRunner}, {@link org.efqat.core.sweep.SweepTable}).
 */
package org.efqat.core.sweep;
