/**
 * Built-in freeze policies (DESIGN.md 1.2). All rank rows by importance, highest first, and break
 * ties deterministically by network order (earlier layer first) and then by row index (lower
 * first). The number of unfrozen rows for a fraction {@code p} of {@code n} rows is {@code ⌈p·n⌉}
 * ({@link org.efqat.api.freeze.UnfrozenFraction}).
 */
package org.efqat.core.freeze;
