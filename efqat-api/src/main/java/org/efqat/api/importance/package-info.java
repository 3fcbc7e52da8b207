/**
 * Importance metrics (EfQAT section 3, DESIGN.md 1.2): a score per weight row (output channel) of a
 * quantized layer; the freeze policy keeps the highest-scoring rows trainable. The built-in default
 * is {@code mean-abs}, the mean absolute latent FP weight of a row.
 */
package org.efqat.api.importance;
