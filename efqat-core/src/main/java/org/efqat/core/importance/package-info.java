/**
 * Built-in importance metrics ({@code mean-abs} is EfQAT's default, DESIGN.md 1.2) and {@link
 * org.efqat.core.importance.RowImportance}, the importance of every row of a network with its
 * outliers (EfQAT Figure 3).
 */
package org.efqat.core.importance;
