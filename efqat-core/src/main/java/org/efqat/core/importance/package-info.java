/** Built-in importance metrics; {@code mean-abs} is EfQAT's default (DESIGN.md 1.2). */
package org.efqat.core.importance;
