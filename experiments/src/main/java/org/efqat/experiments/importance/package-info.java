/**
 * {@code efqat importance}: the row-importance figures (EfQAT Figure 3) of a run, drawn from the
 * {@link org.efqat.core.importance.RowImportance} that efqat-core computes.
 */
package org.efqat.experiments.importance;
